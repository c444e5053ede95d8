package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.http.ApiCallLog;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** EC2 security groups and Secrets Manager through the real AWS SDK; no PostgreSQL needed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2AndSecretsManagerTest {
  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws = AwsEmulator.builder().securityGroup("onramp-test-sg").start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  @AfterEach
  void clearFaults() {
    aws.faults().clear();
  }

  private SecurityGroup group() {
    return sdk.ec2
        .describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values("onramp-test-sg")))
        .securityGroups()
        .get(0);
  }

  private static IpPermission postgresFrom(String cidr) {
    return IpPermission.builder()
        .ipProtocol("tcp")
        .fromPort(5432)
        .toPort(5432)
        .ipRanges(r -> r.cidrIp(cidr).description("Materialize egress"))
        .build();
  }

  @Test
  void ingressRulesCanBeAddedOnceAndRevoked() {
    SecurityGroup g = group();
    assertThat(g.groupId()).startsWith("sg-");
    assertThat(g.vpcId()).startsWith("vpc-");
    assertThat(g.ipPermissionsEgress()).hasSize(1);

    AuthorizeSecurityGroupIngressResponse added =
        sdk.ec2.authorizeSecurityGroupIngress(
            r -> r.groupId(g.groupId()).ipPermissions(postgresFrom("10.0.0.0/16")));
    assertThat(added.returnValue()).isTrue();
    assertThat(added.securityGroupRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.securityGroupRuleId()).startsWith("sgr-");
              assertThat(rule.cidrIpv4()).isEqualTo("10.0.0.0/16");
              assertThat(rule.fromPort()).isEqualTo(5432);
            });

    assertThatThrownBy(
            () ->
                sdk.ec2.authorizeSecurityGroupIngress(
                    r -> r.groupId(g.groupId()).ipPermissions(postgresFrom("10.0.0.0/16"))))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPermission.Duplicate");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "the specified rule \"peer: 10.0.0.0/16, TCP, from port: 5432, to port: 5432,"
                          + " ALLOW\" already exists");
              assertThat(e.requestId()).isNotBlank();
            });

    assertThat(group().ipPermissions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ipProtocol()).isEqualTo("tcp");
              assertThat(p.fromPort()).isEqualTo(5432);
              assertThat(p.ipRanges())
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.cidrIp()).isEqualTo("10.0.0.0/16");
                        assertThat(r.description()).isEqualTo("Materialize egress");
                      });
            });

    assertThat(
            sdk.ec2
                .revokeSecurityGroupIngress(
                    r -> r.groupId(g.groupId()).ipPermissions(postgresFrom("10.0.0.0/16")))
                .returnValue())
        .isTrue();
    assertThat(group().ipPermissions()).isEmpty();
    assertThatThrownBy(
            () ->
                sdk.ec2.revokeSecurityGroupIngress(
                    r -> r.groupId(g.groupId()).ipPermissions(postgresFrom("10.0.0.0/16"))))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidPermission.NotFound"));
  }

  @Test
  void unknownGroupsAreReportedAsEc2Does() {
    assertThatThrownBy(
            () -> sdk.ec2.describeSecurityGroups(r -> r.groupIds("sg-0123456789abcdef0")))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidGroup.NotFound");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("The security group 'sg-0123456789abcdef0' does not exist");
            });
  }

  @Test
  void ec2FaultsAreRetriedBySdk() {
    aws.inject(Fault.throttle("DescribeSecurityGroups", 1));
    aws.inject(Fault.serverError("DescribeSecurityGroups", 1, 500));
    assertThat(group().groupName()).isEqualTo("onramp-test-sg");
    assertThat(aws.faults().list()).isEmpty();
  }

  @Test
  void secretsHaveVersionsAndDeletion() {
    var created =
        sdk.secrets.createSecret(r -> r.name("onramp/materialize-password").secretString("one"));
    assertThat(created.arn()).contains(":secret:onramp/materialize-password-");
    assertThat(created.versionId()).isNotBlank();

    assertThatThrownBy(
            () ->
                sdk.secrets.createSecret(
                    r -> r.name("onramp/materialize-password").secretString("again")))
        .isInstanceOf(ResourceExistsException.class);

    var put = sdk.secrets.putSecretValue(r -> r.secretId(created.arn()).secretString("two"));
    assertThat(put.versionStages()).containsExactly("AWSCURRENT");

    GetSecretValueResponse current =
        sdk.secrets.getSecretValue(r -> r.secretId("onramp/materialize-password"));
    assertThat(current.secretString()).isEqualTo("two");
    assertThat(current.arn()).isEqualTo(created.arn());
    assertThat(current.createdDate()).isNotNull();
    assertThat(
            sdk.secrets
                .getSecretValue(r -> r.secretId(created.arn()).versionStage("AWSPREVIOUS"))
                .secretString())
        .isEqualTo("one");

    var deleted = sdk.secrets.deleteSecret(r -> r.secretId(created.arn()).recoveryWindowInDays(7L));
    assertThat(deleted.deletionDate()).isNotNull();
    assertThatThrownBy(() -> sdk.secrets.getSecretValue(r -> r.secretId(created.arn())))
        .isInstanceOf(InvalidRequestException.class);
    sdk.secrets.deleteSecret(r -> r.secretId(created.arn()).forceDeleteWithoutRecovery(true));
    assertThatThrownBy(() -> sdk.secrets.getSecretValue(r -> r.secretId(created.arn())))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Secrets Manager can't find the specified secret."));
  }

  @Test
  void secretsManagerThrottlingAndLatencyAreInjected() {
    sdk.secrets.createSecret(r -> r.name("throttled").secretString("x"));
    aws.inject(Fault.throttle("GetSecretValue", 2));
    assertThat(sdk.secrets.getSecretValue(r -> r.secretId("throttled")).secretString())
        .isEqualTo("x");

    aws.inject(Fault.latency("GetSecretValue", 300));
    long t0 = System.nanoTime();
    sdk.secrets.getSecretValue(r -> r.secretId("throttled"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void everyCallIsLoggedWithItsThrottles() {
    aws.callLog().clear();
    aws.inject(Fault.throttle("DescribeSecurityGroups", 2));
    sdk.ec2.describeSecurityGroups(r -> r.groupNames("onramp-test-sg"));
    var calls = aws.callLog().calls(c -> "DescribeSecurityGroups".equals(c.action()));
    // The SDK retried through both throttles (its own retry policy): three calls, two throttled.
    assertThat(calls).hasSize(3);
    assertThat(calls.stream().filter(ApiCallLog.Call::throttled)).hasSize(2);
    assertThat(calls.get(2).status()).isEqualTo(200);
  }
}
