package dev.onramp.activities.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** One case per row of each service's table in {@link AwsFailures} (and docs/errors.md). */
class AwsFailuresTest {

  private static AwsErrorDetails details(String code) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage("text of " + code).build();
  }

  static AwsServiceException rds(String code, int status) {
    return RdsException.builder().statusCode(status).awsErrorDetails(details(code)).build();
  }

  static AwsServiceException ec2(String code, int status) {
    return Ec2Exception.builder().statusCode(status).awsErrorDetails(details(code)).build();
  }

  static AwsServiceException sm(String code, int status) {
    return SecretsManagerException.builder()
        .statusCode(status)
        .awsErrorDetails(details(code))
        .build();
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        // RDS
        Arguments.of(rds("Throttling", 400), true, "Aws"),
        Arguments.of(rds("InvalidDBInstanceState", 400), true, "InstanceState"),
        Arguments.of(rds("InvalidDBParameterGroupState", 400), true, "ParameterGroup"),
        Arguments.of(rds("InternalFailure", 500), true, "Aws"),
        Arguments.of(rds("ServiceUnavailable", 503), true, "Aws"),
        Arguments.of(rds("AccessDenied", 403), false, "PermissionDenied"),
        Arguments.of(rds("DBInstanceNotFound", 404), false, "InstanceNotFound"),
        Arguments.of(rds("InvalidDBClusterStateFault", 400), true, "InstanceState"),
        Arguments.of(rds("DBClusterNotFoundFault", 404), false, "InstanceNotFound"),
        Arguments.of(rds("DBClusterParameterGroupNotFound", 404), false, "ParameterGroup"),
        Arguments.of(rds("DBParameterGroupNotFound", 404), false, "ParameterGroup"),
        Arguments.of(rds("DBParameterGroupAlreadyExists", 400), false, "ParameterGroup"),
        Arguments.of(rds("DBParameterGroupQuotaExceeded", 400), false, "ParameterGroup"),
        Arguments.of(rds("InvalidParameterValue", 400), false, "InvalidRequest"),
        Arguments.of(rds("InvalidParameterCombination", 400), false, "InvalidRequest"),
        // EC2
        Arguments.of(ec2("RequestLimitExceeded", 503), true, "Aws"),
        Arguments.of(ec2("InternalError", 500), true, "Aws"),
        Arguments.of(ec2("Unavailable", 503), true, "Aws"),
        Arguments.of(ec2("UnauthorizedOperation", 403), false, "PermissionDenied"),
        Arguments.of(ec2("InvalidGroup.NotFound", 400), false, "SecurityGroup"),
        Arguments.of(ec2("InvalidGroupId.Malformed", 400), false, "SecurityGroup"),
        Arguments.of(ec2("RulesPerSecurityGroupLimitExceeded", 400), false, "SecurityGroup"),
        Arguments.of(ec2("InvalidParameterValue", 400), false, "InvalidRequest"),
        // Secrets Manager: throttling and decryption failures are not permission problems.
        Arguments.of(sm("ThrottlingException", 400), true, "Aws"),
        Arguments.of(sm("InternalServiceError", 500), true, "Aws"),
        Arguments.of(sm("AccessDeniedException", 400), false, "PermissionDenied"),
        Arguments.of(sm("DecryptionFailure", 400), false, "Aws"),
        Arguments.of(sm("ResourceNotFoundException", 400), false, "SecretNotFound"),
        Arguments.of(sm("InvalidRequestException", 400), false, "SecretNotFound"),
        Arguments.of(sm("InvalidParameterException", 400), false, "InvalidRequest"),
        Arguments.of(sm("LimitExceededException", 400), false, "Aws"),
        Arguments.of(sm("ResourceExistsException", 400), false, "Aws"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachRowIsClassified(AwsServiceException e, boolean retryable, String type) {
    ApplicationFailure f = AwsFailures.translate("SomeCall x", e);

    assertThat(f.isNonRetryable()).isEqualTo(!retryable);
    assertThat(f.getType()).isEqualTo(type);
    assertThat(f.getOriginalMessage())
        .startsWith(
            "SomeCall x failed: " + AwsFailures.code(e) + ": text of " + AwsFailures.code(e))
        .contains(AwsFailures.rule(e).fix());
    assertThat(AwsFailures.isRetryable(e)).isEqualTo(retryable);
  }

  @Test
  void theCasesAboveCoverEveryRowOfEveryTable() {
    Set<String> covered =
        rows()
            .map(a -> (AwsServiceException) a.get()[0])
            .map(e -> e.getClass().getSimpleName() + "/" + AwsFailures.code(e))
            .collect(Collectors.toSet());
    assertThat(covered)
        .hasSize(
            AwsFailures.RDS.size() + AwsFailures.EC2.size() + AwsFailures.SECRETS_MANAGER.size());
    for (List<AwsFailures.Rule> table :
        List.of(AwsFailures.RDS, AwsFailures.EC2, AwsFailures.SECRETS_MANAGER)) {
      assertThat(table).allSatisfy(r -> assertThat(r.fix()).isNotBlank());
    }
  }

  @Test
  void anUnlistedErrorIsRetriedOnlyWhen5xx() {
    assertThat(AwsFailures.translate("x", rds("SomethingNew", 502)).isNonRetryable()).isFalse();
    assertThat(AwsFailures.translate("x", rds("SomethingNew", 400)).isNonRetryable()).isTrue();
    assertThat(AwsFailures.translate("x", ec2("Other403", 403)).getType())
        .isEqualTo("PermissionDenied");
  }

  /**
   * The row "AWS unreachable" of docs/errors.md: connection refused is an SDK client error, not a
   * service error; the activity lets it through, and Temporal retries it (an exception that is not
   * a non-retryable ApplicationFailure) until the call's bound. A real SDK call to a closed port.
   */
  @Test
  void anUnreachableEndpointIsAClientErrorThatTemporalRetries() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    try (AwsClients aws =
        new AwsClients(
            new AwsSettings(
                java.net.URI.create("http://127.0.0.1:" + closed),
                java.time.Duration.ofSeconds(5),
                1))) {
      var rds = new dev.onramp.activities.rds.RdsActivitiesImpl(aws);
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> rds.describeInstance("us-east-1", "db-1"));
      assertThat(thrown)
          .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
      assertThat(thrown).hasRootCauseInstanceOf(java.net.ConnectException.class);
      assertThat(thrown).isNotInstanceOf(ApplicationFailure.class);
    }
  }
}
