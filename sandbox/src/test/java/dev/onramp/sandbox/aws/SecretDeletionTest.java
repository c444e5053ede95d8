package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

/**
 * A secret scheduled for deletion, as Secrets Manager treats it: its name stays taken (CreateSecret
 * refuses with InvalidRequestException, not ResourceExistsException), its value cannot be read or
 * written, RestoreSecret brings it back as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretDeletionTest {
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

  @Test
  void aScheduledSecretKeepsItsNameRefusesWritesAndIsRestoredAsItWas() {
    String arn =
        sdk.secrets.createSecret(r -> r.name("onramp/scheduled").secretString("one")).arn();
    var deleted = sdk.secrets.deleteSecret(r -> r.secretId(arn).recoveryWindowInDays(7L));
    assertThat(Duration.between(Instant.now(), deleted.deletionDate()))
        .isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
    assertThat(sdk.secrets.describeSecret(r -> r.secretId("onramp/scheduled")).deletedDate())
        .isEqualTo(deleted.deletionDate());

    assertThatThrownBy(
            () -> sdk.secrets.createSecret(r -> r.name("onramp/scheduled").secretString("two")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("already scheduled for deletion"));
    assertThatThrownBy(() -> sdk.secrets.putSecretValue(r -> r.secretId(arn).secretString("two")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("marked for deletion"));
    assertThatThrownBy(() -> sdk.secrets.deleteSecret(r -> r.secretId(arn)))
        .isInstanceOf(InvalidRequestException.class);

    var restored = sdk.secrets.restoreSecret(r -> r.secretId("onramp/scheduled"));
    assertThat(restored.arn()).isEqualTo(arn);
    assertThat(sdk.secrets.describeSecret(r -> r.secretId(arn)).deletedDate()).isNull();
    assertThat(sdk.secrets.getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("one");
    // Restoring a secret that is not scheduled for deletion changes nothing and succeeds.
    assertThat(sdk.secrets.restoreSecret(r -> r.secretId(arn)).arn()).isEqualTo(arn);
  }
}
