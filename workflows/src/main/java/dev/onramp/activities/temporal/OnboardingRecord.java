package dev.onramp.activities.temporal;

import java.util.List;

/**
 * A target's closed onboarding runs since its last complete offboarding, oldest first, and the run
 * id of an onboarding still running (null when none is).
 */
public record OnboardingRecord(List<OnboardingRun> runs, String runningRunId) {
  public OnboardingRecord {
    runs = runs == null ? List.of() : List.copyOf(runs);
  }
}
