package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.Onramp;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.PayloadText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's start --wait against a worker process, a real Temporal server and the stand-ins. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliOnboardingE2eTest {
  @TempDir static Path dir;
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void startWaitOnboardsEverythingTheSeedLists() throws Exception {
    CliRun run =
        CliRun.of(env.startImmediate(E2eEnvironment.DATABASE, "orders,\"Line \"\"Items\"\"; x\""));
    String out = run.out();
    String stderr = run.err();
    assertThat(run.code()).as("stdout:%n%s%nstderr:%n%s", out, stderr).isZero();
    assertThat(out).contains("started onboard/us-east-1/e2e-db/shop").contains("DONE");

    Seed.assertOnboarded(env, java.util.List.of("orders"));

    // The secret never left Secrets Manager: not in the CLI's output, the worker's log, or the
    // workflow history (payloads decoded).
    String password = Seed.replicationPassword(env);
    assertThat(password).hasSizeGreaterThan(20);
    assertThat(out + stderr).doesNotContain(password);
    assertThat(Files.readString(dir.resolve("worker.log"))).doesNotContain(password);
    String history =
        env.temporal
            .client()
            .fetchHistory(OnboardingWorkflows.workflowId("us-east-1", "e2e-db", "shop"))
            .toJson(false);
    assertThat(PayloadText.decoded(history))
        .doesNotContain(password)
        .contains("onramp/us-east-1/e2e-db");

    // Approving the completed onboarding is refused in its state (5); only a missing one is 4.
    CliRun late =
        CliRun.of("approve", "--temporal-address", env.temporal.address(), "us-east-1/e2e-db/shop");
    assertThat(late.code()).as(late.printed()).isEqualTo(5);
    assertThat(late.err()).contains("onboard/us-east-1/e2e-db/shop has ended (completed)");
    CliRun missing =
        CliRun.of("approve", "--temporal-address", env.temporal.address(), "us-east-1/e2e-db/none");
    assertThat(missing.code()).as(missing.printed()).isEqualTo(4);
  }

  @Test
  @Order(2) // needs the onboarding of the first test
  void verifyReportsHealthyThenTheDriftSomeoneCaused() throws Exception {
    String[] verify = {
      "verify",
      "--temporal-address",
      env.temporal.address(),
      "--task-queue",
      env.taskQueue,
      "us-east-1/e2e-db/shop"
    };
    assertThat(Onramp.commandLine().execute(verify)).isZero();

    try (var up = env.upstreamAsMaster()) {
      up.createStatement().execute("ALTER PUBLICATION mz_source DROP TABLE orders");
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = Onramp.commandLine().execute(verify);
    } finally {
      System.setOut(original);
      try (var up = env.upstreamAsMaster()) {
        up.createStatement().execute("ALTER PUBLICATION mz_source ADD TABLE orders");
      }
    }
    assertThat(code).isEqualTo(1);
    assertThat(stdout.toString(StandardCharsets.UTF_8))
        .contains("fix: ")
        .contains("publication mz_source does not include");
  }

  @Test
  void startWithNoWorkerSaysSoInOneLine() {
    StringWriter stderr = new StringWriter();
    var cmd = Onramp.commandLine();
    cmd.setErr(new PrintWriter(stderr));
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          cmd.execute(
              "start",
              "--temporal-address",
              env.temporal.address(),
              "--task-queue",
              "nobody-polls-this",
              "--region",
              E2eEnvironment.REGION,
              "--instance",
              "other-db",
              "--database",
              E2eEnvironment.DATABASE);
    } finally {
      System.setErr(original);
    }
    assertThat(code).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no worker is polling task queue nobody-polls-this on Temporal at")
        .contains("start one: ./onramp worker")
        .doesNotContain("\tat ");
    assertThat(
            Onramp.commandLine()
                .execute(
                    "cancel",
                    "--temporal-address",
                    env.temporal.address(),
                    "us-east-1/other-db/shop"))
        .isZero();
  }
}
