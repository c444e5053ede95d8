package dev.onramp.workflows;

import dev.onramp.activities.ledger.Removal;
import java.time.Instant;
import java.util.List;

/**
 * What the offboarding's {@code progress} query returns: the overall status, the part being removed
 * (schedule, Materialize, upstream, ingress, secret, parameter group), what it waits for, every
 * removal so far, the leftovers so far, and the failure (null unless FAILED).
 */
public record OffboardingProgress(
    String dbInstanceId,
    String database,
    OnboardingStatus status,
    String part,
    String waitingFor,
    List<Removal> removals,
    List<String> leftovers,
    String failure,
    Instant startedAt,
    Instant updatedAt) {
  public OffboardingProgress {
    removals = removals == null ? List.of() : List.copyOf(removals);
    leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
  }
}
