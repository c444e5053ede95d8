package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.onramp.workflows.OnboardingWorkflows;
import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the compose file passes
 * the Compose validator ({@code docker compose config}, or Debian's {@code docker-compose} that
 * scripts/install-tools installs), a broken copy does not, its one-shot setup registers exactly the
 * search attributes the workflows upsert, its images are pinned, and the Dockerfile copies files
 * that {@code mvn package} really makes (this module builds after starter has been packaged).
 */
class DeploymentFilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

  @TempDir Path dir;

  @Test
  void composeFilePassesTheComposeValidatorInEveryProfile() throws Exception {
    for (String profile : List.of("aws", "sandbox", "demo")) {
      Validation v = validate(COMPOSE, profile);
      assertThat(v.exitCode()).as(profile + ": " + v.output()).isZero();
    }
  }

  @Test
  void brokenComposeFilesFailTheValidator() throws Exception {
    String good = Files.readString(COMPOSE);
    Map<String, String> breakages =
        Map.of(
            "condition: service_healthy", "condition: service_healty",
            "    entrypoint: [\"/bin/sh\", \"-ec\"]", "    entrypont: [\"/bin/sh\", \"-ec\"]",
            "      sandbox:\n        condition", "      sandboxx:\n        condition");
    for (var b : breakages.entrySet()) {
      assertThat(good).contains(b.getKey());
      Path broken = dir.resolve("broken-" + Math.abs(b.getValue().hashCode()));
      Files.createDirectories(broken);
      Path file = broken.resolve("docker-compose.yml");
      Files.writeString(file, good.replace(b.getKey(), b.getValue()));
      Validation v = validate(file, "sandbox");
      assertThat(v.exitCode()).as("accepted with " + b.getValue() + ": " + v.output()).isNotZero();
      assertThat(v.output()).containsAnyOf("service_healty", "entrypont", "sandboxx");
    }
  }

  @Test
  void setupServiceRegistersEverySearchAttributeTheWorkflowsUpsert() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
    String setup = compose.at("/services/temporal-setup/command/0").asText();
    List<String> registered = new ArrayList<>();
    Matcher m = Pattern.compile("(\\w+):(Keyword|Datetime)").matcher(setup);
    while (m.find()) {
      registered.add(m.group(1) + ":" + m.group(2));
    }
    List<String> expected = new ArrayList<>();
    OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(
        (name, type) ->
            expected.add(
                name
                    + ":"
                    + (type == IndexedValueType.INDEXED_VALUE_TYPE_DATETIME
                        ? "Datetime"
                        : "Keyword")));
    assertThat(registered).containsExactlyInAnyOrderElementsOf(expected);
    // The workers leave registration to that one-shot.
    for (String worker : List.of("worker", "worker-sandbox")) {
      assertThat(
              compose
                  .at("/services/" + worker + "/environment/ONRAMP_REGISTER_SEARCH_ATTRIBUTES")
                  .asText())
          .isEqualTo("false");
    }
  }

  /**
   * Issue 10: every published port is bound to 127.0.0.1 (a bare "8080:8080" publishes on every
   * interface), and every worker gets its API tokens and payload key from the environment, not from
   * the file. A worker listening on 0.0.0.0 must have the tokens passed, or it refuses to start.
   */
  @Test
  void everyPortIsPublishedOnLoopbackAndWorkersTakeTokenAndKeyFromTheEnvironment()
      throws Exception {
    JsonNode services =
        new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).get("services");
    int published = 0;
    int workers = 0;
    for (var it = services.fields(); it.hasNext(); ) {
      var service = it.next();
      for (JsonNode port : service.getValue().path("ports")) {
        published++;
        assertThat(port.asText())
            .as("%s publishes %s", service.getKey(), port.asText())
            .matches("127\\.0\\.0\\.1:\\d+:\\d+");
      }
      JsonNode env = service.getValue().path("environment");
      if (env.has("ONRAMP_BIND")) {
        workers++;
        assertThat(env.path("ONRAMP_API_TOKENS").asText())
            .as(service.getKey())
            .isEqualTo("${ONRAMP_API_TOKENS:-}");
        assertThat(env.path("ONRAMP_PAYLOAD_KEY").asText())
            .as(service.getKey())
            .isEqualTo("${ONRAMP_PAYLOAD_KEY:-}");
      }
    }
    assertThat(published).isGreaterThanOrEqualTo(4);
    assertThat(workers).as("worker and worker-sandbox").isEqualTo(2);
  }

  @Test
  void everyImageIsPinnedAndEveryDependencyWaitsForACondition() throws Exception {
    JsonNode services =
        new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).get("services");
    services
        .fields()
        .forEachRemaining(
            s -> {
              String image = s.getValue().path("image").asText();
              assertThat(image).as(s.getKey()).matches("onramp:local|[\\w./-]+:\\d[\\w.-]*");
              if (image.equals("onramp:local")) {
                assertThat(s.getValue().path("build").asText()).as(s.getKey()).isEqualTo(".");
              }
              s.getValue()
                  .path("depends_on")
                  .fields()
                  .forEachRemaining(
                      d ->
                          assertThat(d.getValue().path("condition").asText())
                              .as(s.getKey() + " -> " + d.getKey())
                              .isIn("service_healthy", "service_completed_successfully"));
            });
    // The retired all-in-one image is gone.
    assertThat(Files.readString(COMPOSE)).doesNotContain("image: temporalio/auto-setup");
  }

  @Test
  void dockerfileCopiesWhatMavenPackageMakes() throws Exception {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
    List<String[]> copies = new ArrayList<>();
    for (String line : lines) {
      Matcher fromBuild = Pattern.compile("^COPY --from=build /src/(\\S+) (\\S+)$").matcher(line);
      Matcher fromContext = Pattern.compile("^COPY (?!--|\\. )(\\S+) (\\S+)$").matcher(line);
      if (fromBuild.matches()) {
        copies.add(new String[] {fromBuild.group(1), fromBuild.group(2)});
      } else if (fromContext.matches()) {
        copies.add(new String[] {fromContext.group(1), fromContext.group(2)});
      }
    }
    assertThat(copies).extracting(c -> c[0]).contains("starter/target/onramp.jar");
    for (String[] c : copies) {
      assertThat(ROOT.resolve(c[0])).as("Dockerfile copies " + c[0]).isRegularFile();
    }
    try (JarFile jar = new JarFile(ROOT.resolve("starter/target/onramp.jar").toFile())) {
      String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
      assertThat(main).isNotBlank();
      assertThat(jar.getEntry(main.replace('.', '/') + ".class")).as(main).isNotNull();
      // The jar carries the worker and the sandbox the compose file runs from it.
      assertThat(jar.getEntry("dev/onramp/worker/OnrampApplication.class")).isNotNull();
      assertThat(jar.getEntry("dev/onramp/sandbox/aws/AwsEmulator.class")).isNotNull();
    }
    String cmd = lines.stream().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
    String copiedConfig =
        copies.stream().filter(c -> c[0].equals("config/worker.yml")).findFirst().orElseThrow()[1];
    assertThat(cmd).contains("\"" + copiedConfig + "\"");
    // Run the jar as the image's entrypoint would, asking the worker command for its help.
    Process p =
        new ProcessBuilder(
                "java",
                "-jar",
                ROOT.resolve("starter/target/onramp.jar").toString(),
                "worker",
                "--help")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("--config");
  }

  record Validation(int exitCode, String output) {}

  /**
   * {@code docker compose config} where the plugin works without an engine, else docker-compose.
   */
  static Validation validate(Path file, String profile) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(validator());
    command.addAll(List.of("-f", file.toString(), "--profile", profile, "config", "-q"));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(file.getParent().toFile()).redirectErrorStream(true);
    pb.environment().put("ONRAMP_API_TOKENS", "ci:" + "x".repeat(44));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Validation(p.exitValue(), out);
  }

  static List<String> validator() throws IOException, InterruptedException {
    if (runs("docker", "compose", "version")) {
      return List.of("docker", "compose");
    }
    if (runs("docker-compose", "version")) {
      return List.of("docker-compose");
    }
    throw new AssertionError(
        "no Compose validator: run scripts/install-tools (it installs Debian's docker-compose)");
  }

  private static boolean runs(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
