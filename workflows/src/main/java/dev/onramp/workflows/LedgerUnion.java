package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger of several onboarding runs of one target as one: a re-run records REUSED for what an
 * earlier run CREATED, and a CHANGED entry's {@code previous} is only right in the run that made
 * the change, so per resource the earliest CREATED or CHANGED entry wins, with its {@code previous}
 * (a resource only ever REUSED stays REUSED). Attributes are merged, later runs winning: a source
 * created again has a new replication slot.
 */
final class LedgerUnion {
  private LedgerUnion() {}

  /** {@code ledgers}: one per run, oldest run first. */
  static List<LedgerEntry> of(List<List<LedgerEntry>> ledgers) {
    Map<String, LedgerEntry> byResource = new LinkedHashMap<>();
    for (List<LedgerEntry> ledger : ledgers) {
      for (LedgerEntry e : ledger) {
        String key = e.kind() + "\u0000" + e.identifier();
        LedgerEntry seen = byResource.get(key);
        if (seen == null) {
          byResource.put(key, e);
        } else if (seen.outcome() == Outcome.REUSED && e.outcome() != Outcome.REUSED) {
          byResource.put(
              key,
              new LedgerEntry(
                      e.kind(), e.identifier(), e.outcome(), e.previous(), seen.attributes())
                  .withAttributes(e.attributes()));
        } else {
          byResource.put(key, seen.withAttributes(e.attributes()));
        }
      }
    }
    return new ArrayList<>(byResource.values());
  }
}
