package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** Tags on secrets and DB parameter groups, as onramp marks what it creates; no PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceTagsTest {
  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws = AwsEmulator.builder().start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  private static Map<String, String> secretTags(DescribeSecretResponse d) {
    Map<String, String> m = new LinkedHashMap<>();
    d.tags().forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  private Map<String, String> rdsTags(String arn) {
    Map<String, String> m = new LinkedHashMap<>();
    sdk.rds
        .listTagsForResource(b -> b.resourceName(arn))
        .tagList()
        .forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  @Test
  void secretsKeepTheirTagsAndDescribeSecretShowsThemWithoutTheValue() {
    String arn =
        sdk.secrets
            .createSecret(
                b ->
                    b.name("onramp/us-east-1/db-1/materialize")
                        .secretString("{\"password\":\"hidden\"}")
                        .tags(
                            Tag.builder().key("managed-by").value("onramp").build(),
                            Tag.builder().key("onramp:db-instance").value("db-1").build()))
            .arn();
    DescribeSecretResponse d = sdk.secrets.describeSecret(b -> b.secretId(arn));
    assertThat(d.name()).isEqualTo("onramp/us-east-1/db-1/materialize");
    assertThat(secretTags(d))
        .containsExactly(
            Map.entry("managed-by", "onramp"), Map.entry("onramp:db-instance", "db-1"));
    assertThat(d.versionIdsToStages()).hasSize(1);
    assertThat(d.toString()).doesNotContain("hidden");

    // A secret created without tags has none; TagResource adds them (by name or ARN).
    String plain = sdk.secrets.createSecret(b -> b.name("plain").secretString("x")).arn();
    assertThat(secretTags(sdk.secrets.describeSecret(b -> b.secretId(plain)))).isEmpty();
    sdk.secrets.tagResource(
        b -> b.secretId("plain").tags(Tag.builder().key("managed-by").value("onramp").build()));
    assertThat(secretTags(sdk.secrets.describeSecret(b -> b.secretId(plain))))
        .containsExactly(Map.entry("managed-by", "onramp"));

    assertThatThrownBy(() -> sdk.secrets.describeSecret(b -> b.secretId("no-such-secret")))
        .isInstanceOf(ResourceNotFoundException.class);
    // A secret scheduled for deletion is still described, with its deletion date.
    sdk.secrets.deleteSecret(b -> b.secretId(plain).recoveryWindowInDays(7L));
    assertThat(sdk.secrets.describeSecret(b -> b.secretId(plain)).deletedDate()).isNotNull();
  }

  @Test
  void parameterGroupsKeepTheirTagsAndACopyDoesNotInheritThem() {
    DBParameterGroup created =
        sdk.rds
            .createDBParameterGroup(
                b ->
                    b.dbParameterGroupName("onramp-postgres16-tagged")
                        .dbParameterGroupFamily("postgres16")
                        .description("tagged")
                        .tags(
                            software.amazon.awssdk.services.rds.model.Tag.builder()
                                .key("managed-by")
                                .value("onramp")
                                .build()))
            .dbParameterGroup();
    assertThat(rdsTags(created.dbParameterGroupArn()))
        .containsExactly(Map.entry("managed-by", "onramp"));

    DBParameterGroup copy =
        sdk.rds
            .copyDBParameterGroup(
                b ->
                    b.sourceDBParameterGroupIdentifier("onramp-postgres16-tagged")
                        .targetDBParameterGroupIdentifier("someone-elses-copy")
                        .targetDBParameterGroupDescription("copy"))
            .dbParameterGroup();
    assertThat(rdsTags(copy.dbParameterGroupArn())).isEmpty();
    sdk.rds.addTagsToResource(
        b ->
            b.resourceName(copy.dbParameterGroupArn())
                .tags(
                    software.amazon.awssdk.services.rds.model.Tag.builder()
                        .key("team")
                        .value("data")
                        .build()));
    assertThat(rdsTags(copy.dbParameterGroupArn())).containsExactly(Map.entry("team", "data"));

    assertThatThrownBy(
            () ->
                sdk.rds.listTagsForResource(
                    b -> b.resourceName("arn:aws:rds:us-east-1:000000000000:pg:no-such-group")))
        .isInstanceOf(DbParameterGroupNotFoundException.class);
    assertThatThrownBy(() -> sdk.rds.listTagsForResource(b -> b.resourceName("not-an-arn")))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }
}
