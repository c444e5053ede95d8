package dev.onramp.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.worker.OnrampConfiguration;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration in config/ as the worker reads it at start (the same factory, a given
 * environment instead of the process's): with its required values each parses into the worker's
 * configuration (no unknown key, nothing invalid); without them the start fails naming each key,
 * its line, the variable and what the key expects; an unknown key fails naming its path. Starting
 * the worker with them is the e2e suite's (ScaleOutE2eTest, ConfigExamplesJarTest).
 */
class ConfigExamplesTest {
  static final Path CONFIG = Path.of("..", "config");

  @TempDir Path dir;

  /** What each example needs from the environment, with plausible values. */
  static final Map<String, Map<String, String>> REQUIRED =
      Map.of(
          "worker.yml", Map.of(),
          "sandbox.yml",
              Map.of(
                  "ONRAMP_AWS_ENDPOINT", "http://127.0.0.1:4566",
                  "MZ_HOST", "127.0.0.1",
                  "MZ_PORT", "6875",
                  "MZ_USER", "materialize",
                  "MZ_PASSWORD", "pw",
                  "ONRAMP_UPSTREAM_SSLROOTCERT", "/tmp/aws-ca.pem"),
          "aws-profile.yml",
              Map.of(
                  "AWS_PROFILE", "onramp",
                  "MZ_HOST", "abc.us-east-1.aws.materialize.cloud",
                  "MZ_USER", "svc",
                  "MZ_PASSWORD", "pw"),
          "aws-instance-role.yml",
              Map.of(
                  "TEMPORAL_ADDRESS", "temporal:7233",
                  "ONRAMP_API_TOKENS_FILE", "/run/secrets/onramp-tokens",
                  "MZ_HOST", "abc.us-east-1.aws.materialize.cloud",
                  "MZ_USER", "svc",
                  "MZ_PASSWORD_FILE", "/run/secrets/materialize-app-password"),
          "temporal-cloud-api-key.yml",
              Map.of(
                  "TEMPORAL_ADDRESS", "us-east-1.aws.api.temporal.io:7233",
                  "TEMPORAL_NAMESPACE", "onramp.a1b2c",
                  "TEMPORAL_API_KEY", "key",
                  "ONRAMP_PAYLOAD_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                  "MZ_HOST", "abc.us-east-1.aws.materialize.cloud",
                  "MZ_USER", "svc",
                  "MZ_PASSWORD", "pw"),
          "temporal-cloud-mtls.yml",
              Map.of(
                  "TEMPORAL_ADDRESS", "onramp.a1b2c.tmprl.cloud:7233",
                  "TEMPORAL_NAMESPACE", "onramp.a1b2c",
                  "TEMPORAL_TLS_CERT", "/run/secrets/client.pem",
                  "TEMPORAL_TLS_KEY", "/run/secrets/client.key",
                  "ONRAMP_PAYLOAD_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                  "MZ_HOST", "abc.us-east-1.aws.materialize.cloud",
                  "MZ_USER", "svc",
                  "MZ_PASSWORD", "pw"));

  @Test
  void everyExampleIsListedHere() throws IOException {
    try (Stream<Path> files = Files.list(CONFIG)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(REQUIRED.keySet());
    }
  }

  @Test
  void withItsRequiredValuesEachExampleParsesIntoTheWorkersConfiguration() throws Exception {
    for (var example : REQUIRED.entrySet()) {
      OnrampConfiguration c = read(CONFIG.resolve(example.getKey()), example.getValue());
      assertThat(c.temporal.target).as(example.getKey()).isNotBlank();
    }
    OnrampConfiguration sandbox = read(CONFIG.resolve("sandbox.yml"), REQUIRED.get("sandbox.yml"));
    assertThat(sandbox.aws.endpoint).isEqualTo("http://127.0.0.1:4566");
    assertThat(sandbox.upstream.sslRootCert).isEqualTo("/tmp/aws-ca.pem");
    OnrampConfiguration role =
        read(CONFIG.resolve("aws-instance-role.yml"), REQUIRED.get("aws-instance-role.yml"));
    assertThat(role.materialize.passwordFile).isEqualTo("/run/secrets/materialize-app-password");
    assertThat(role.aws.profile).isNull();
    OnrampConfiguration mtls =
        read(CONFIG.resolve("temporal-cloud-mtls.yml"), REQUIRED.get("temporal-cloud-mtls.yml"));
    assertThat(mtls.temporal.tlsCertFile).isEqualTo("/run/secrets/client.pem");
    assertThat(mtls.temporal.registerSearchAttributes).isFalse();
  }

  @Test
  void withoutThemTheStartFailsNamingEveryKeyAndWhatItExpects() {
    for (var example : REQUIRED.entrySet()) {
      if (example.getValue().isEmpty()) {
        continue;
      }
      Path file = CONFIG.resolve(example.getKey());
      assertThatThrownBy(() -> read(file, Map.of()))
          .as(example.getKey())
          .isInstanceOf(CheckedConfigurationFactory.MissingValuesException.class)
          .satisfies(
              e -> {
                for (String variable : example.getValue().keySet()) {
                  assertThat(e.getMessage())
                      .contains("needs environment variable " + variable + ",");
                }
              });
    }
    assertThatThrownBy(() -> read(CONFIG.resolve("sandbox.yml"), Map.of("MZ_PASSWORD", "")))
        .hasMessageContaining("required values are not set; nothing was started")
        .hasMessageMatching(
            "(?s).*aws\\.endpoint \\(line \\d+\\) needs environment variable ONRAMP_AWS_ENDPOINT,"
                + " which is not set: The AWS emulator's URL.*")
        // An empty secret is as missing as an unset one.
        .hasMessageContaining("materialize.password (line")
        .hasMessageContaining("upstream.sslRootCert (line");
  }

  @Test
  void anUnknownKeyFailsNamingItsPath() throws IOException {
    Path file = dir.resolve("typo.yml");
    Files.writeString(
        file,
        Files.readString(CONFIG.resolve("worker.yml")).replace("  taskQueue: ", "  taskQeue: "));
    assertThatThrownBy(() -> read(file, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Unrecognized field at: temporal.taskQeue")
        .hasMessageContaining("taskQueue");
  }

  @Test
  void keyPathsFollowNestingAndListItems() {
    String yaml =
        "# top\nserver:\n  applicationConnectors:\n    - type: http\n      # the port\n"
            + "      port: ${P}\n    - type: https\n      port: ${Q}\nother: ${R:-x}\n";
    var missing = RequiredValues.missing(yaml, v -> null);
    assertThat(missing)
        .extracting(RequiredValues.Missing::keyPath)
        .containsExactly(
            "server.applicationConnectors[0].port", "server.applicationConnectors[1].port");
    assertThat(missing.get(0).expects()).isEqualTo("the port");
    assertThat(missing.get(0).line()).isEqualTo(6);
  }

  static OnrampConfiguration read(Path file, Map<String, String> environment)
      throws IOException, ConfigurationException {
    Map<String, String> env = new HashMap<>(environment);
    StringSubstitutor substitutor = new StringSubstitutor(env);
    substitutor.setEnableUndefinedVariableException(true);
    substitutor.setEnableSubstitutionInVariables(false);
    ConfigurationSourceProvider files = new FileConfigurationSourceProvider();
    return new CheckedConfigurationFactory<>(
            OnrampConfiguration.class,
            Validators.newValidator(),
            Jackson.newObjectMapper(),
            "dw-example",
            files,
            env::get)
        .build(new SubstitutingSourceProvider(files, substitutor), file.toString());
  }
}
