package dev.onramp.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.materialize.SnapshotProgress;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.StepProgress;
import dev.onramp.workflows.StepState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot's progress line in the step list and in the line-per-change output of watch. */
class SnapshotProgressViewTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static OnboardingProgress progress(StepState snapshotState, SnapshotProgress reading) {
    List<StepProgress> steps = new ArrayList<>();
    for (OnboardingStep s : OnboardingStep.values()) {
      StepState state =
          s.ordinal() < OnboardingStep.SNAPSHOT.ordinal()
              ? StepState.DONE
              : s == OnboardingStep.SNAPSHOT ? snapshotState : StepState.PENDING;
      steps.add(
          new StepProgress(
              s,
              state,
              state == StepState.PENDING ? null : T0,
              state == StepState.DONE ? T0 : null,
              s == OnboardingStep.SNAPSHOT ? "waiting for the snapshot of shop_source" : null));
    }
    return new OnboardingProgress(
        "db-1",
        "shop",
        snapshotState == StepState.DONE ? OnboardingStatus.COMPLETED : OnboardingStatus.RUNNING,
        OnboardingStep.SNAPSHOT,
        null,
        steps,
        List.of(),
        T0,
        T0,
        List.of(),
        null,
        reading);
  }

  private static SnapshotProgress reading(long staged, double rate, Long eta) {
    return new SnapshotProgress("shop_source", 1_000_000L, staged, false, rate, eta, T0);
  }

  @Test
  void theStepListShowsTheReadingOnlyWhileTheSnapshotRuns() {
    assertThat(ProgressView.lines(progress(StepState.WAITING, reading(412_000, 95_000, 7L)), T0))
        .contains("  snapshot 412,000 / 1,000,000 rows (41 %), 95,000 rows/s, ETA 7 s");
    assertThat(ProgressView.snapshotLine(progress(StepState.DONE, reading(1_000_000, 0, null))))
        .isNull();
    assertThat(ProgressView.snapshotLine(progress(StepState.WAITING, null))).isNull();
  }

  @Test
  void aReadingWithoutCountsOrRateSaysSoAndLongEtasAreInMinutesAndHours() {
    assertThat(new SnapshotProgress("s", null, null, false, 0, null, T0).line())
        .isEqualTo("snapshot starting");
    assertThat(new SnapshotProgress("s", null, 5_000L, false, 0, null, T0).line())
        .isEqualTo("snapshot 5,000 / ? rows");
    assertThat(reading(1, 1, 600L).line()).endsWith("ETA 10 min");
    assertThat(reading(1, 1, 3 * 3600L + 5 * 60).line()).endsWith("ETA 3 h 05 min");
  }

  @Test
  void watchWithoutATerminalPrintsEachNewReadingOnce() throws Exception {
    Iterator<OnboardingProgress> frames =
        List.of(
                progress(StepState.WAITING, reading(100_000, 50_000, 18L)),
                progress(StepState.WAITING, reading(100_000, 50_000, 18L)),
                progress(StepState.WAITING, reading(600_000, 90_000, 5L)),
                progress(StepState.DONE, reading(600_000, 90_000, 5L)))
            .iterator();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Watcher(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Duration.ofMillis(1))
        .follow(frames::next, () -> false);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.lines().filter(l -> l.contains("100,000 / 1,000,000")).count()).isEqualTo(1);
    assertThat(out).contains("  snapshot 600,000 / 1,000,000 rows (60 %), 90,000 rows/s, ETA 5 s");
    assertThat(out.indexOf("ETA 5 s")).isLessThan(out.lastIndexOf("DONE"));
  }
}
