package dev.onramp.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

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

  private Map<String, String> tags(String id) {
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    aws.secretsManager(REGION)
        .describeSecret(b -> b.secretId(id))
        .tags()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private static ApplicationFailure foreign(ThrowingCallable call) {
    ApplicationFailure f = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(f).isNotNull();
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isEqualTo(OnboardingFailures.FOREIGN_OBJECT);
    return f;
  }

  @Test
  void generatesThePasswordOnceAndReturnsOnlyAReference() throws Exception {
    SecretRef first =
        secrets.ensureReplicationPassword(
            REGION, "db-1", "onramp/orders/materialize", "materialize");
    assertThat(first.kind()).isEqualTo(SecretRef.Kind.SECRETS_MANAGER);
    assertThat(first.id()).contains(":secret:onramp/orders/materialize-");
    String password = stored(first.id()).get("password").asText();
    assertThat(password).hasSize(32).matches("[A-Za-z0-9]+");
    assertThat(stored(first.id()).get("username").asText()).isEqualTo("materialize");
    // Marked as onramp's, with where it belongs.
    assertThat(tags(first.id()))
        .containsEntry("managed-by", "onramp")
        .containsEntry("onramp:region", REGION)
        .containsEntry("onramp:db-instance", "db-1")
        .containsEntry("onramp:replication-user", "materialize");

    // A re-run (or another database on the same instance) reuses the secret and its password.
    SecretRef second =
        secrets.ensureReplicationPassword(
            REGION, "db-1", "onramp/orders/materialize", "materialize");
    assertThat(second).isEqualTo(first);
    assertThat(stored(first.id()).get("password").asText()).isEqualTo(password);
    secrets.checkReplicationSecret(REGION, "onramp/orders/materialize", "materialize");

    // Another user name: onramp's secret of another onboarding, left as it is.
    String versionBefore =
        aws.secretsManager(REGION).getSecretValue(b -> b.secretId(first.id())).versionId();
    assertThat(
            foreign(
                    () ->
                        secrets.ensureReplicationPassword(
                            REGION, "db-1", "onramp/orders/materialize", "mz_repl"))
                .getOriginalMessage())
        .contains("onramp/orders/materialize", "materialize", "mz_repl");
    foreign(() -> secrets.checkReplicationSecret(REGION, "onramp/orders/materialize", "mz_repl"));
    assertThat(aws.secretsManager(REGION).getSecretValue(b -> b.secretId(first.id())).versionId())
        .isEqualTo(versionBefore);
    assertThat(stored(first.id()).get("username").asText()).isEqualTo("materialize");

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
    assertThatThrownBy(
            () -> secrets.ensureReplicationPassword(REGION, "db-1", "doomed", "materialize"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("scheduled for deletion"));
  }

  @Test
  void aSecretOnrampDidNotCreateIsNeitherReadNorReplaced() {
    String arn =
        aws.secretsManager(REGION)
            .createSecret(
                b ->
                    b.name("team/shared-login")
                        .secretString("{\"username\":\"materialize\",\"password\":\"theirs\"}"))
            .arn();
    String versionBefore =
        aws.secretsManager(REGION).getSecretValue(b -> b.secretId(arn)).versionId();

    ApplicationFailure preflight =
        foreign(() -> secrets.checkReplicationSecret(REGION, "team/shared-login", "materialize"));
    assertThat(preflight.getOriginalMessage())
        .contains("team/shared-login", "not created by onramp", "tag-resource", "managed-by");
    foreign(
        () ->
            secrets.ensureReplicationPassword(REGION, "db-1", "team/shared-login", "materialize"));

    GetSecretValueResponse after = aws.secretsManager(REGION).getSecretValue(b -> b.secretId(arn));
    assertThat(after.versionId()).isEqualTo(versionBefore);
    assertThat(after.secretString()).contains("theirs");
    assertThat(tags(arn)).isEmpty();

    // Marked as onramp's by its owner (as the message says): then it is used, its password kept.
    aws.secretsManager(REGION)
        .tagResource(
            b ->
                b.secretId("team/shared-login")
                    .tags(Tag.builder().key("managed-by").value("onramp").build()));
    secrets.checkReplicationSecret(REGION, "team/shared-login", "materialize");
    assertThat(
            secrets.ensureReplicationPassword(REGION, "db-1", "team/shared-login", "materialize"))
        .isEqualTo(SecretRef.secretsManager(arn));
    assertThat(aws.secretsManager(REGION).getSecretValue(b -> b.secretId(arn)).versionId())
        .isEqualTo(versionBefore);
  }

  @Test
  void preflightAcceptsASecretThatDoesNotExistYet() {
    secrets.checkReplicationSecret(REGION, "onramp/us-east-1/db-9/materialize", "materialize");
  }
}
