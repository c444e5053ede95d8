package dev.onramp.workflows;

import dev.onramp.activities.ledger.PlannedChange;
import java.util.List;

/**
 * What an onboarding of the request would do, found by preflight and read-only inspection of every
 * resource: the changes (create, change or reuse, each with what was seen), whether the instance
 * needs a reboot and why, and what would stop or surprise the onboarding.
 */
public record OnboardingPlan(
    String dbInstanceId,
    String database,
    List<PlannedChange> changes,
    boolean rebootNeeded,
    String rebootWhy,
    List<String> conflicts) {
  public OnboardingPlan {
    changes = changes == null ? List.of() : List.copyOf(changes);
    conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
  }
}
