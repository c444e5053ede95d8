package dev.onramp.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.workflows.SecretRef;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsActivitiesImplTest {
  private static final String REGION = "us-east-1";
  private AwsEmulator emulator;
  private AwsClients aws;
  private SecretsActivitiesImpl secrets;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  void start() {
    emulator = AwsEmulator.builder().start();
    aws = EmulatorAws.clients(emulator);
    secrets =
        new SecretsActivitiesImpl(
            aws,
            new SecretsManagerCredentialResolver(
                aws, Map.of("admin", new Credentials("admin", "from-config"))));
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    aws.close();
    emulator.close();
  }

  private JsonNode stored(String id) throws Exception {
    return new ObjectMapper()
        .readTree(aws.secretsManager(REGION).getSecretValue(b -> b.secretId(id)).secretString());
  }

  @Test
  void generatesThePasswordOnceAndReturnsOnlyAReference() throws Exception {
    SecretRef first =
        secrets.ensureReplicationPassword(REGION, "onramp/orders/materialize", "materialize");
    assertThat(first.kind()).isEqualTo(SecretRef.Kind.SECRETS_MANAGER);
    assertThat(first.id()).contains(":secret:onramp/orders/materialize-");
    String password = stored(first.id()).get("password").asText();
    assertThat(password).hasSize(32).matches("[A-Za-z0-9]+");
    assertThat(stored(first.id()).get("username").asText()).isEqualTo("materialize");

    SecretRef second =
        secrets.ensureReplicationPassword(REGION, "onramp/orders/materialize", "materialize");
    assertThat(second).isEqualTo(first);
    assertThat(stored(first.id()).get("password").asText()).isEqualTo(password);

    // Another user name: a new version for that user, the password kept.
    secrets.ensureReplicationPassword(REGION, "onramp/orders/materialize", "mz_repl");
    assertThat(stored(first.id()).get("username").asText()).isEqualTo("mz_repl");
    assertThat(stored(first.id()).get("password").asText()).isEqualTo(password);

    secrets.checkReadable(REGION, first);
    assertThat(first.toString()).doesNotContain(password);
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .isNotEmpty()
        .noneMatch(m -> m.contains(password));
  }

  @Test
  void readsRdsManagedStyleSecretsAndWorkerCredentials() {
    String arn =
        aws.secretsManager(REGION)
            .createSecret(
                b ->
                    b.name("rds!db-test")
                        .secretString("{\"username\":\"postgres\",\"password\":\"pw\"}"))
            .arn();
    secrets.checkReadable(REGION, SecretRef.secretsManager(arn));
    secrets.checkReadable(REGION, SecretRef.workerConfig("admin"));
  }

  @Test
  void missingSecretsFailNonRetryably() {
    assertThatThrownBy(() -> secrets.checkReadable(REGION, SecretRef.secretsManager("nope")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("SecretNotFound");
              assertThat(f.getOriginalMessage()).contains("nope");
            });
    assertThatThrownBy(() -> secrets.checkReadable(REGION, SecretRef.workerConfig("nobody")))
        .isInstanceOf(ApplicationFailure.class);
    String arn =
        aws.secretsManager(REGION).createSecret(b -> b.name("doomed").secretString("x")).arn();
    aws.secretsManager(REGION).deleteSecret(b -> b.secretId(arn).recoveryWindowInDays(7L));
    assertThatThrownBy(() -> secrets.ensureReplicationPassword(REGION, "doomed", "materialize"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("scheduled for deletion"));
  }
}
