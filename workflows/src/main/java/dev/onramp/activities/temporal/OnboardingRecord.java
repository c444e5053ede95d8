package dev.onramp.activities.temporal;

import java.util.List;

/**
 * A target's closed onboarding runs since its last complete offboarding, oldest first; the run id
 * of an onboarding still running (null when none is); the run id of a table change ({@code onramp
 * tables add|drop}) still running (null when none is); and the other databases of the same instance
 * that are onboarded (their onboarding workflow ids): they replicate through the same parameter
 * group. The last two are absent (null, empty) in records written before they existed.
 */
public record OnboardingRecord(
    List<OnboardingRun> runs,
    String runningRunId,
    String runningTableChangeRunId,
    List<String> otherOnboardedOnInstance) {
  public OnboardingRecord {
    runs = runs == null ? List.of() : List.copyOf(runs);
    otherOnboardedOnInstance =
        otherOnboardedOnInstance == null ? List.of() : List.copyOf(otherOnboardedOnInstance);
  }

  public OnboardingRecord(List<OnboardingRun> runs, String runningRunId) {
    this(runs, runningRunId, null, null);
  }
}
