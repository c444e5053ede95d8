package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.sandbox.aws.iam.IamPolicy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The emulator enforcing iam/onramp-policy.json, seen through the real AWS SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamEnforcementTest {
  static final Path POLICY = Path.of("..", "iam", "onramp-policy.json");
  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws = AwsEmulator.builder().securityGroup("iam-sg").iamPolicy(POLICY).start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  @Test
  void rdsAllowsOnrampGroupsAndRefusesOthersWithAwsText() {
    sdk.rds.createDBParameterGroup(
        b ->
            b.dbParameterGroupName("onramp-postgres16-db1")
                .dbParameterGroupFamily("postgres16")
                .description("d"));
    assertThat(sdk.rds.describeDBParameterGroups(b -> b.dbParameterGroupName("default.postgres16")))
        .isNotNull();

    RdsException e =
        catchThrowableOfType(
            () ->
                sdk.rds.modifyDBParameterGroup(
                    b ->
                        b.dbParameterGroupName("default.postgres16")
                            .parameters(p -> p.parameterName("x").parameterValue("1"))),
            RdsException.class);
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo(
            "User: arn:aws:iam::123456789012:user/onramp is not authorized to perform:"
                + " rds:ModifyDBParameterGroup on resource:"
                + " arn:aws:rds:us-east-1:123456789012:pg:default.postgres16 because no"
                + " identity-based policy allows the rds:ModifyDBParameterGroup action");
  }

  @Test
  void anAllowedCallReachesTheService() {
    // Allowed by the policy, so the service's own answer comes back.
    assertThatThrownBy(() -> sdk.rds.rebootDBInstance(b -> b.dbInstanceIdentifier("nope")))
        .isInstanceOf(DbInstanceNotFoundException.class);
  }

  @Test
  void modifyDbInstanceIsCheckedAgainstTheGroupToo() {
    // onramp's policy allows any group (offboarding puts the instance back on its previous one),
    // so a policy that limits the group side shows the check.
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "rds:ModifyDBInstance",
           "Resource": ["arn:aws:rds:*:*:db:*", "arn:aws:rds:*:*:pg:onramp-*"]}]}
        """;
    try (AwsEmulator strict = AwsEmulator.builder().iamPolicy(IamPolicy.parse(policy)).start();
        SdkClients c = new SdkClients(strict)) {
      RdsException e =
          catchThrowableOfType(
              () ->
                  c.rds.modifyDBInstance(
                      b -> b.dbInstanceIdentifier("db1").dbParameterGroupName("someone-elses")),
              RdsException.class);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      assertThat(e.awsErrorDetails().errorMessage())
          .contains(
              "rds:ModifyDBInstance on resource:"
                  + " arn:aws:rds:us-east-1:123456789012:pg:someone-elses");
    }
  }

  @Test
  void secretsManagerAllowsOnrampSecretsOnly() {
    sdk.secrets.createSecret(b -> b.name("onramp/us-east-1/db1/shop/repl").secretString("x"));
    assertThat(sdk.secrets.getSecretValue(b -> b.secretId("onramp/us-east-1/db1/shop/repl")).arn())
        .contains(":secret:onramp/");

    SecretsManagerException e =
        catchThrowableOfType(
            () -> sdk.secrets.createSecret(b -> b.name("payroll/admin").secretString("x")),
            SecretsManagerException.class);
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("is not authorized to perform: secretsmanager:CreateSecret on resource:")
        .contains("payroll/admin");
  }

  @Test
  void ec2RefusesWithUnauthorizedOperationUnderAnExplicitDeny() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "ec2:Authorize*", "Resource": "*"}]}
        """;
    try (AwsEmulator strict =
            AwsEmulator.builder().securityGroup("sg-a").iamPolicy(IamPolicy.parse(policy)).start();
        SdkClients c = new SdkClients(strict)) {
      String sg =
          c.ec2
              .describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values("sg-a")))
              .securityGroups()
              .get(0)
              .groupId();
      Ec2Exception e =
          catchThrowableOfType(
              () ->
                  c.ec2.authorizeSecurityGroupIngress(
                      b ->
                          b.groupId(sg)
                              .ipPermissions(
                                  p ->
                                      p.ipProtocol("tcp")
                                          .fromPort(5432)
                                          .toPort(5432)
                                          .ipRanges(r -> r.cidrIp("10.0.0.1/32")))),
              Ec2Exception.class);
      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");
      assertThat(e.awsErrorDetails().errorMessage())
          .startsWith("You are not authorized to perform this operation. User:")
          .contains("ec2:AuthorizeSecurityGroupIngress on resource: arn:aws:ec2:us-east-1:")
          .contains("with an explicit deny in an identity-based policy");
    }
  }

  @Test
  void policyEvaluationFollowsIam() {
    IamPolicy p =
        IamPolicy.parse(
            """
            {"Statement": [
              {"Effect": "Allow", "Action": "RDS:Describe*", "Resource": "*"},
              {"Effect": "Allow", "Action": "rds:ModifyDBParameterGroup",
               "Resource": "arn:aws:rds:*:*:pg:onramp-?x"},
              {"Effect": "Deny", "Action": "rds:DescribeDBInstances",
               "Resource": "arn:aws:rds:*:*:db:secret-db"}]}
            """);
    assertThat(p.evaluate("rds:DescribeDBParameters", "arn:aws:rds:r:1:pg:a"))
        .isEqualTo(IamPolicy.Decision.ALLOW);
    assertThat(p.evaluate("rds:DescribeDBInstances", "arn:aws:rds:r:1:db:secret-db"))
        .isEqualTo(IamPolicy.Decision.EXPLICIT_DENY);
    assertThat(p.evaluate("rds:ModifyDBParameterGroup", "arn:aws:rds:r:1:pg:onramp-ax"))
        .isEqualTo(IamPolicy.Decision.ALLOW);
    assertThat(p.evaluate("rds:ModifyDBParameterGroup", "arn:aws:rds:r:1:pg:onramp-abx"))
        .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("rds:ModifyDBParameterGroup", "arn:aws:rds:r:1:pg:ONRAMP-ax"))
        .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    assertThatThrownBy(
            () ->
                IamPolicy.parse(
                    "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                        + " \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"1.2.3.4/32\"}}}}"))
        .hasMessageContaining("does not evaluate condition IpAddress");
    assertThatThrownBy(
            () ->
                IamPolicy.parse(
                    "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                        + " \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/x\": \"y\"}}}}"))
        .hasMessageContaining("does not evaluate condition key aws:PrincipalTag/x");
  }

  @Test
  void tagConditionsReadTheResourcesTags() {
    IamPolicy p =
        IamPolicy.parse(
            """
            {"Statement": [
              {"Effect": "Allow", "Action": "rds:RebootDBInstance", "Resource": "*",
               "Condition": {"StringEquals": {"aws:ResourceTag/onramp": ["enabled", "yes"]}}},
              {"Effect": "Allow", "Action": "rds:ModifyDBInstance", "Resource": "*",
               "Condition": {"StringLike": {"rds:db-tag/team": "data-*"}}}]}
            """);
    String db = "arn:aws:rds:r:1:db:x";
    assertThat(p.evaluate("rds:RebootDBInstance", db, Map.of("onramp", "yes")))
        .isEqualTo(IamPolicy.Decision.ALLOW);
    assertThat(p.evaluate("rds:RebootDBInstance", db, Map.of("onramp", "no")))
        .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("rds:RebootDBInstance", db))
        .as("a missing tag does not match")
        .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("rds:ModifyDBInstance", db, Map.of("team", "data-eng")))
        .isEqualTo(IamPolicy.Decision.ALLOW);
  }

  @Test
  void creatingWithTagsAlsoNeedsTheTaggingAction() throws Exception {
    // The shipped policy grants the tagging actions: creating with tags works.
    sdk.rds.createDBParameterGroup(
        b ->
            b.dbParameterGroupName("onramp-postgres16-tagged-ok")
                .dbParameterGroupFamily("postgres16")
                .description("d")
                .tags(t -> t.key("managed-by").value("onramp")));
    aws.enforceIamPolicy(
        IamPolicy.read(POLICY)
            .without("rds:AddTagsToResource")
            .without("secretsmanager:TagResource"));
    try {
      refusedWithoutTheTaggingActions();
    } finally {
      aws.enforceIamPolicy(IamPolicy.read(POLICY));
    }
  }

  private void refusedWithoutTheTaggingActions() {
    RdsException e =
        catchThrowableOfType(
            () ->
                sdk.rds.createDBParameterGroup(
                    b ->
                        b.dbParameterGroupName("onramp-postgres16-tagged")
                            .dbParameterGroupFamily("postgres16")
                            .description("d")
                            .tags(t -> t.key("managed-by").value("onramp"))),
            RdsException.class);
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("rds:AddTagsToResource on resource:")
        .contains(":pg:onramp-postgres16-tagged");

    SecretsManagerException s =
        catchThrowableOfType(
            () ->
                sdk.secrets.createSecret(
                    b ->
                        b.name("onramp/tagged")
                            .secretString("x")
                            .tags(t -> t.key("managed-by").value("onramp"))),
            SecretsManagerException.class);
    assertThat(s.awsErrorDetails().errorMessage()).contains("secretsmanager:TagResource");
  }
}
