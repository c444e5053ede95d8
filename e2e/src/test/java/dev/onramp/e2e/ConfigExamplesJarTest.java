package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples that need real AWS, Materialize or Temporal Cloud cannot start here; started from
 * the jar without their values, each refuses at once naming every missing key and what it expects,
 * before it connects anywhere (TEMPORAL_ADDRESS points at a port that accepts nothing, and the
 * refusal comes in seconds). The sandbox example starts and is healthy in ScaleOutE2eTest; an
 * unknown key is refused too.
 */
class ConfigExamplesJarTest {
  @TempDir Path dir;

  @Test
  void examplesWithoutTheirValuesRefuseNamingTheKeys() throws Exception {
    Map<String, List<String>> expected =
        Map.of(
            "aws-profile.yml",
            List.of("aws.profile (line", "materialize.host (line", "materialize.password (line"),
            "aws-instance-role.yml",
            List.of(
                "temporal.target (line", "auth.tokensFile (line", "materialize.passwordFile (line"),
            "temporal-cloud-api-key.yml",
            List.of(
                "temporal.apiKey (line", "temporal.namespace (line", "temporal.payloadKey (line"),
            "temporal-cloud-mtls.yml",
            List.of("temporal.tlsCertFile (line", "temporal.tlsKeyFile (line"),
            "sandbox.yml",
            List.of("aws.endpoint (line", "materialize.password (line"));
    // All at once: each is a JVM start, and they refuse independently.
    Map<String, JarWorker> started = new java.util.HashMap<>();
    for (String example : expected.keySet()) {
      started.put(
          example,
          JarWorker.start(
              JarWorker.ROOT.resolve("config").resolve(example),
              dir.resolve(example + ".log"),
              Map.of()));
    }
    for (var e : expected.entrySet()) {
      JarWorker w = started.get(e.getKey());
      int exit = w.awaitExit(Duration.ofSeconds(120));
      String out = w.output();
      assertThat(exit).as(out).isNotZero();
      assertThat(out)
          .as(e.getKey())
          .contains("required values are not set; nothing was started")
          .contains(e.getValue());
      // The message alone: no stack trace under it.
      assertThat(out).doesNotContain("Exception", "\tat ");
    }
  }

  @Test
  void aWorkerWithoutAwsCredentialsSaysSoAtStart() throws Exception {
    // No credentials anywhere in the SDK's chain: none in the environment, no ~/.aws, and the
    // instance metadata service not asked (it is not there; asking only takes longer).
    Map<String, String> env =
        Map.of(
            "HOME", dir.toString(),
            "AWS_EC2_METADATA_DISABLED", "true",
            "AWS_REGION", "us-east-1",
            "TEMPORAL_ADDRESS", "127.0.0.1:" + JarWorker.freePort(),
            "ONRAMP_REGISTER_SEARCH_ATTRIBUTES", "false",
            "ONRAMP_UPSTREAM_SSLMODE", "require",
            "MZ_SSLMODE", "disable");
    try (JarWorker w =
        JarWorker.start(
            JarWorker.ROOT.resolve("config/worker.yml"), dir.resolve("no-aws.log"), env)) {
      long deadline = System.currentTimeMillis() + 90_000;
      while (!w.output().contains("AWS credentials cannot be resolved")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertThat(w.output())
          .contains(" WARN ")
          .contains("AWS credentials cannot be resolved, so every onboarding will fail")
          .contains("AWS_PROFILE");
    }
  }

  @Test
  void anUnknownKeyIsRefusedNamingItsPath() throws Exception {
    Path config = dir.resolve("typo.yml");
    Files.writeString(
        config,
        Files.readString(JarWorker.ROOT.resolve("config/worker.yml"))
            .replace("  sslMode: ${MZ_SSLMODE", "  sslmode: ${MZ_SSLMODE"));
    JarWorker w = JarWorker.start(config, dir.resolve("typo.log"), Map.of());
    int exit = w.awaitExit(Duration.ofSeconds(90));
    assertThat(exit).as(w.output()).isNotZero();
    assertThat(w.output())
        .contains("Unrecognized field at: materialize.sslmode")
        .doesNotContain("\tat ");
  }
}
