package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.StepState;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "From sandbox to first onboarding", literally, with two workers ("Scaling out"): {@code
 * onramp sandbox} from the jar (its default instance with rows, its Temporal dev server), its env
 * file sourced by a shell, two processes of the worker jar with config/sandbox.yml and nothing else
 * on one task queue, both healthy and silent at start (no warning), the CLI's start and approve.
 * One worker is killed with SIGKILL while the onboarding waits for the approved reboot; the other
 * finishes the onboarding, Materialize has every row, and the workflow's own log lines carry its
 * id.
 */
class ScaleOutE2eTest {
  static final String TARGET = "us-east-1/sandbox-db/sandbox";
  static final String ID = "onboard/" + TARGET;

  @TempDir Path dir;

  @Test
  void fromTheSandboxTwoWorkersOnboardAndOneIsKilledMidRun() throws Exception {
    Path state = dir.resolve("sandbox");
    Process sandbox = startSandbox(state, dir.resolve("sandbox.log"));
    try {
      Path envFile = state.resolve("onramp.env");
      awaitFile(envFile, sandbox, dir.resolve("sandbox.log"));
      Map<String, String> settings = JarWorker.sourced(envFile);
      assertThat(settings)
          .containsKeys("TEMPORAL_ADDRESS", "ONRAMP_AWS_ENDPOINT", "MZ_PASSWORD", "MZ_SSLROOTCERT");
      String temporalAddress = settings.get("TEMPORAL_ADDRESS");

      Path config = JarWorker.ROOT.resolve("config/sandbox.yml");
      try (JarWorker a = JarWorker.start(config, dir.resolve("worker-a.log"), settings);
          JarWorker b = JarWorker.start(config, dir.resolve("worker-b.log"), settings);
          TemporalConnection temporal =
              TemporalConnection.open(temporalAddress, "default", null, false, null)) {
        for (JarWorker w : new JarWorker[] {a, b}) {
          String health = w.awaitHealthy(Duration.ofMinutes(3));
          assertThat(health).contains("\"temporal\"", "\"aws-credentials\"", "\"materialize\"");
          assertThat(w.output()).doesNotContain(" WARN ").doesNotContain("|-WARN");
        }
        CliRun start =
            CliRun.of(
                "start",
                "--temporal-address",
                temporalAddress,
                "--region",
                "us-east-1",
                "--instance",
                "sandbox-db",
                "--database",
                "sandbox",
                "--tables",
                "orders,customers",
                "--poll-interval",
                "1s");
        assertThat(start.code()).as(start.printed()).isZero();

        OnboardingClient client = new OnboardingClient(temporal.client(), "onramp");
        awaitStep(client, OnboardingStep.ASSOCIATE_AND_GATE, StepState.WAITING);
        // The gate asks once the parameter group is associated; until then approve says 5.
        CliRun approve = CliRun.of("approve", "--temporal-address", temporalAddress, TARGET);
        Instant approveBy = Instant.now().plus(Duration.ofMinutes(3));
        while (approve.code() == 5 && Instant.now().isBefore(approveBy)) {
          Thread.sleep(500);
          approve = CliRun.of("approve", "--temporal-address", temporalAddress, TARGET);
        }
        assertThat(approve.code()).as(approve.printed()).isZero();
        // Killed while the onboarding waits for the reboot (README "Scaling out"): the reboot
        // call is done, the wait's polls are short attempts the other worker takes over at once.
        // Killed any earlier, the worker may hold the reboot call itself, which Temporal retries
        // elsewhere only after its 2-minute start-to-close timeout: correct, but two minutes of
        // this suite for what WorkerCrashE2eTest and the crash matrix show already.
        awaitStep(client, OnboardingStep.REBOOT_AND_WAIT, StepState.WAITING);
        a.kill();
        assertThat(a.process.isAlive()).isFalse();

        OnboardingResult result = client.awaitResult(ID, Duration.ofMinutes(5));
        assertThat(result.reboots()).isEqualTo(1);
        // Every row of the sandbox's seed is in Materialize (relations are named after the source).
        String orders = relation(result, "orders");
        String customers = relation(result, "customers");
        assertThat(rows(settings, orders)).isEqualTo(500);
        assertThat(rows(settings, customers)).isEqualTo(50);
        // The survivor finished it, and the workflow's own lines say which run they belong to
        // (the SDK puts WorkflowId in the MDC for workflow code as for activities).
        assertThat(b.output())
            .containsPattern(
                "(?m)^\\S+ INFO  \\[" + Pattern.quote(ID) + "\\] \\S*OnboardingWorkflowImpl: ");
      }
    } finally {
      sandbox.destroy();
      if (!sandbox.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        sandbox.destroyForcibly();
      }
    }
  }

  /** {@code java -jar onramp.jar sandbox} on free ports, as README's terminal 1 (in the clone). */
  static Process startSandbox(Path state, Path log) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JarWorker.JAR.toString(),
                "sandbox",
                "--state-dir",
                state.toString(),
                "--aws-port",
                String.valueOf(JarWorker.freePort()),
                "--materialize-port",
                String.valueOf(JarWorker.freePort()))
            .directory(JarWorker.ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().remove("TEMPORAL_ADDRESS");
    return pb.start();
  }

  static void awaitFile(Path file, Process p, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (!Files.exists(file)) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError("the sandbox wrote no " + file + ":\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  static String relation(OnboardingResult result, String table) {
    return result.tables().stream()
        .filter(t -> t.endsWith("_" + table))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no relation for " + table + ": " + result.tables()));
  }

  static long rows(Map<String, String> s, String relation) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", s.get("MZ_USER"));
    props.setProperty("password", s.get("MZ_PASSWORD"));
    props.setProperty("sslmode", s.get("MZ_SSLMODE"));
    if (!s.get("MZ_SSLROOTCERT").isEmpty()) {
      props.setProperty("sslrootcert", s.get("MZ_SSLROOTCERT"));
    }
    String url = "jdbc:postgresql://" + s.get("MZ_HOST") + ":" + s.get("MZ_PORT") + "/materialize";
    try (Connection c = DriverManager.getConnection(url, props);
        ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM " + relation)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void awaitStep(OnboardingClient client, OnboardingStep step, StepState state)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(180);
    OnboardingProgress p = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        p = client.progress(ID);
        if (p.step(step).state() == state) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the first workflow task has not run yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never reached " + step + " " + state + ": " + p);
  }
}
