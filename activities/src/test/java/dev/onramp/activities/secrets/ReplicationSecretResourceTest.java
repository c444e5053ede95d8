package dev.onramp.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

/** The replication secret through the secrets activities, against the AWS emulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicationSecretResourceTest {
  private static final String REGION = "us-east-1";
  private AwsEmulator emulator;
  private AwsClients aws;
  private SecretsActivitiesImpl secrets;

  @BeforeAll
  void start() {
    emulator = AwsEmulator.builder().start();
    aws = EmulatorAws.clients(emulator);
    secrets = new SecretsActivitiesImpl(aws, new SecretsManagerCredentialResolver(aws, Map.of()));
  }

  @AfterAll
  void stop() {
    aws.close();
    emulator.close();
  }

  private DescribeSecretResponse describe(String name) {
    return aws.secretsManager(REGION).describeSecret(b -> b.secretId(name));
  }

  private String value(String name) {
    return aws.secretsManager(REGION).getSecretValue(b -> b.secretId(name)).secretString();
  }

  private boolean exists(String name) {
    try {
      describe(name);
      return true;
    } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
      return false;
    }
  }

  @Test
  void convergeCreatesThenReusesAndRemovalSchedulesTheDeletion() {
    var request =
        new ReplicationSecretRequest(REGION, "orders-db", "onramp/orders-db/mz", "mz_repl");

    assertThat(secrets.planReplicationSecret(request).action()).isEqualTo(PlanAction.CREATE);
    assertThat(exists("onramp/orders-db/mz")).as("plan changes nothing").isFalse();

    ReplicationSecret first = secrets.convergeReplicationSecret(request);
    assertThat(first.entry().kind()).isEqualTo(ResourceKind.REPLICATION_SECRET);
    assertThat(first.entry().identifier()).isEqualTo("onramp/orders-db/mz");
    assertThat(first.entry().outcome()).isEqualTo(Outcome.CREATED);
    assertThat(first.entry().attribute("arn")).isEqualTo(first.ref().id());
    String password = value("onramp/orders-db/mz");

    assertThat(secrets.planReplicationSecret(request).action()).isEqualTo(PlanAction.REUSE);
    ReplicationSecret second = secrets.convergeReplicationSecret(request);
    assertThat(second.entry().outcome()).isEqualTo(Outcome.REUSED);
    assertThat(second.ref()).isEqualTo(first.ref());
    assertThat(value("onramp/orders-db/mz")).isEqualTo(password);

    Removal removed = secrets.removeReplicationSecret(new SecretRemoval(REGION, first.entry()));
    assertThat(removed.outcome()).isEqualTo(RemovalOutcome.REMOVED);
    assertThat(removed.message()).contains("restore-secret");
    Instant deletion = describe("onramp/orders-db/mz").deletedDate();
    assertThat(Duration.between(Instant.now(), deletion))
        .as("the 7-day recovery window")
        .isBetween(Duration.ofDays(7).minusMinutes(5), Duration.ofDays(7));
    assertThatThrownBy(() -> value("onramp/orders-db/mz"))
        .isInstanceOf(InvalidRequestException.class);

    // A second offboarding has nothing left to do.
    assertThat(secrets.removeReplicationSecret(new SecretRemoval(REGION, first.entry())).outcome())
        .isEqualTo(RemovalOutcome.ALREADY_GONE);
  }

  @Test
  void onrampsSecretScheduledForDeletionIsRestoredWithItsPassword() {
    var request = new ReplicationSecretRequest(REGION, "shop-db", "onramp/shop-db/mz", "mz_repl");
    ReplicationSecret created = secrets.convergeReplicationSecret(request);
    String password = value("onramp/shop-db/mz");
    secrets.removeReplicationSecret(new SecretRemoval(REGION, created.entry()));

    // Preflight lets it pass: the onboarding restores onramp's own secret (a database can be
    // onboarded again within the recovery window).
    secrets.checkReplicationSecret(REGION, "onramp/shop-db/mz", "mz_repl");

    assertThat(secrets.planReplicationSecret(request).action()).isEqualTo(PlanAction.CHANGE);
    assertThat(describe("onramp/shop-db/mz").deletedDate()).as("plan changes nothing").isNotNull();

    ReplicationSecret restored = secrets.convergeReplicationSecret(request);
    assertThat(restored.entry().outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(restored.entry().previous()).startsWith("scheduled for deletion on ");
    assertThat(restored.ref()).isEqualTo(created.ref());
    assertThat(describe("onramp/shop-db/mz").deletedDate()).isNull();
    assertThat(value("onramp/shop-db/mz")).isEqualTo(password);

    // The activity of runs from before the resource model restores it the same way.
    secrets.removeReplicationSecret(new SecretRemoval(REGION, restored.entry()));
    assertThat(secrets.ensureReplicationPassword(REGION, "shop-db", "onramp/shop-db/mz", "mz_repl"))
        .isEqualTo(created.ref());
    assertThat(describe("onramp/shop-db/mz").deletedDate()).isNull();
    assertThat(value("onramp/shop-db/mz")).isEqualTo(password);
  }

  @Test
  void aSecretOnrampDidNotCreateIsRefusedAndNeverDeleted() {
    String arn =
        aws.secretsManager(REGION)
            .createSecret(
                b -> b.name("onramp/hand-made").secretString("{\"username\":\"mz_repl\"}"))
            .arn();
    var request = new ReplicationSecretRequest(REGION, "db", "onramp/hand-made", "mz_repl");
    assertThatThrownBy(() -> secrets.planReplicationSecret(request))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(OnboardingFailures.FOREIGN_OBJECT));

    // A ledger that claims it (written by hand, or the tag removed since) does not get it deleted.
    LedgerEntry claimed =
        new LedgerEntry(
            ResourceKind.REPLICATION_SECRET,
            "onramp/hand-made",
            Outcome.CREATED,
            null,
            Map.of("arn", arn));
    Removal removal = secrets.removeReplicationSecret(new SecretRemoval(REGION, claimed));
    assertThat(removal.outcome()).isEqualTo(RemovalOutcome.KEPT_NOT_OURS);
    assertThat(describe("onramp/hand-made").deletedDate()).isNull();
  }

  @Test
  void aSecretThatIsGoneIsAlreadyGone() {
    LedgerEntry entry = LedgerEntry.created(ResourceKind.REPLICATION_SECRET, "onramp/never-made");
    assertThat(secrets.removeReplicationSecret(new SecretRemoval(REGION, entry)).outcome())
        .isEqualTo(RemovalOutcome.ALREADY_GONE);
  }
}
