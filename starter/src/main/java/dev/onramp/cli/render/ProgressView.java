package dev.onramp.cli.render;

import dev.onramp.cli.Durations;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.StepProgress;
import dev.onramp.workflows.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the progress query as a step list: state, elapsed time, and what a wait is for. */
public final class ProgressView {
  private ProgressView() {}

  public static List<String> lines(OnboardingProgress p, Instant now) {
    List<String> out = new ArrayList<>();
    Duration total = p.startedAt() == null ? Duration.ZERO : Duration.between(p.startedAt(), now);
    out.add(
        String.format(
            Locale.ROOT,
            "onboarding %s/%s  %s  %s",
            p.dbInstanceId(),
            p.database(),
            p.status(),
            Durations.format(total)));
    int n = 1;
    for (StepProgress s : p.steps()) {
      out.add(
          String.format(
              Locale.ROOT,
              "  %s %2d. %-58s %8s  %s",
              mark(s.state()),
              n++,
              s.step().title(),
              elapsed(s, now),
              s.message() == null ? "" : s.message()));
    }
    String snapshot = snapshotLine(p);
    if (snapshot != null) {
      out.add("  " + snapshot);
    }
    if (p.waitingFor() != null) {
      out.add("  waiting for " + p.waitingFor());
    }
    return out;
  }

  /**
   * While the snapshot step runs, its latest reading: {@code snapshot 412,000 / 1,000,000 rows (41
   * %), 95,000 rows/s, ETA 6 s}; null at any other time.
   */
  public static String snapshotLine(OnboardingProgress p) {
    if (p.snapshotProgress() == null || p.steps() == null) {
      return null;
    }
    boolean running =
        p.steps().stream()
            .anyMatch(
                s ->
                    s.step() == OnboardingStep.SNAPSHOT
                        && (s.state() == StepState.RUNNING || s.state() == StepState.WAITING));
    return running ? p.snapshotProgress().line() : null;
  }

  /** One line per step transition, for logs and pipes. */
  public static String transition(StepProgress s, Instant now) {
    return String.format(
        Locale.ROOT,
        "%s %-10s %s%s",
        mark(s.state()),
        s.state(),
        s.step().title(),
        s.message() == null ? "" : ": " + s.message());
  }

  private static String elapsed(StepProgress s, Instant now) {
    if (s.startedAt() == null) {
      return "";
    }
    Instant end = s.endedAt() == null ? now : s.endedAt();
    return Durations.format(Duration.between(s.startedAt(), end));
  }

  static String mark(StepState state) {
    return switch (state) {
      case PENDING -> "·";
      case RUNNING -> "▶";
      case WAITING -> "⏳";
      case DONE -> "✔";
      case SKIPPED -> "↷";
      case FAILED -> "✘";
      case CANCELLED -> "■";
    };
  }
}
