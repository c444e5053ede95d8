package dev.onramp.activities.temporal;

import java.util.List;

/**
 * A target's closed onboarding runs since its last complete offboarding, oldest first, the run id
 * of an onboarding still running (null when none is), and the run id of a table change ({@code
 * onramp tables add|drop}) still running (null when none is; absent from records written before it
 * existed).
 */
public record OnboardingRecord(
    List<OnboardingRun> runs, String runningRunId, String runningTableChangeRunId) {
  public OnboardingRecord {
    runs = runs == null ? List.of() : List.copyOf(runs);
  }

  public OnboardingRecord(List<OnboardingRun> runs, String runningRunId) {
    this(runs, runningRunId, null);
  }
}
