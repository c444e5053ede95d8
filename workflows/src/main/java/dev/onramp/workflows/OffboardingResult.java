package dev.onramp.workflows;

import dev.onramp.activities.ledger.Removal;
import java.util.List;

/**
 * What an offboarding did with every ledger entry; {@code leftovers} says, for each entry it could
 * not settle, what is left and exactly how to finish; {@code complete} when there are none.
 */
public record OffboardingResult(
    String dbInstanceId,
    String database,
    List<Removal> removals,
    List<String> leftovers,
    boolean complete) {
  public OffboardingResult {
    removals = removals == null ? List.of() : List.copyOf(removals);
    leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
  }
}
