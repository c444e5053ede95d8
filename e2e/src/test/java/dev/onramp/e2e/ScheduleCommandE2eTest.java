package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.verification.ReverificationActivitiesImpl;
import dev.onramp.activities.verification.ScheduleRequest;
import dev.onramp.cli.Onramp;
import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.client.ReverificationSchedules;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp schedule list|pause|unpause|trigger|set-interval} against a real Temporal server.
 */
class ScheduleCommandE2eTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run cli(TemporalDevServer temporal, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--temporal-address";
    all[args.length + 1] = temporal.address();
    // picocli: options after the positional parameters are fine
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    PrintStream original = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      var cmd = Onramp.commandLine();
      cmd.setErr(new PrintWriter(err, true));
      int code = cmd.execute(all);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void listPauseUnpauseTriggerAndSetInterval() throws Exception {
    try (TemporalDevServer temporal =
        TemporalDevServer.start(
            E2eEnvironment.temporalCli(), Files.createDirectories(dir.resolve("t")), false)) {
      OnboardingRequest request =
          OnboardingRequest.of("us-east-1", "db-7", "shop", TableSelection.tables("orders"));
      new ReverificationActivitiesImpl(temporal.client(), "no-worker-here")
          .convergeSchedule(new ScheduleRequest(request, Duration.ofHours(1)));
      String target = "us-east-1/db-7/shop";
      String id = "verify/us-east-1/db-7/shop";
      ReverificationSchedules schedules = new ReverificationSchedules(temporal.client());

      // Schedules are listed from Temporal's visibility store, which a new schedule reaches a
      // moment after it is created (sooner or later on a loaded machine).
      Run list = cli(temporal, "schedule", "list");
      long listed = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!list.out().contains(id) && System.nanoTime() < listed) {
        Thread.sleep(200);
        list = cli(temporal, "schedule", "list");
      }
      assertThat(list.code()).isZero();
      assertThat(list.out())
          .contains(id)
          .contains("active")
          .contains("every 1h")
          .contains("next: ");

      assertThat(cli(temporal, "schedule", "pause", target, "--note", "maintenance").code())
          .isZero();
      assertThat(schedules.describe(id).paused()).isTrue();
      assertThat(cli(temporal, "schedule", "list", target).out()).contains("PAUSED (maintenance)");
      assertThat(cli(temporal, "schedule", "unpause", target).code()).isZero();
      assertThat(schedules.describe(id).paused()).isFalse();

      assertThat(cli(temporal, "schedule", "set-interval", target, "15m").code()).isZero();
      assertThat(schedules.describe(id).every()).isEqualTo(Duration.ofMinutes(15));

      Run tooOften = cli(temporal, "schedule", "set-interval", target, "30s");
      assertThat(tooOften.code()).isEqualTo(2);
      assertThat(tooOften.err()).contains("'30s'").contains("under one minute");
      assertThat(schedules.describe(id).every()).isEqualTo(Duration.ofMinutes(15));

      assertThat(cli(temporal, "schedule", "trigger", target).code()).isZero();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (schedules.describe(id).lastRuns().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(schedules.describe(id).lastRuns())
          .anySatisfy(r -> assertThat(r.workflowId()).startsWith(id));
      assertThat(cli(temporal, "schedule", "list", target).out()).contains("last: \n      ");

      Run missing = cli(temporal, "schedule", "pause", "us-east-1/nope/shop");
      assertThat(missing.code()).isEqualTo(4);
      assertThat(missing.err()).contains("verify/us-east-1/nope/shop");
    }
  }
}
