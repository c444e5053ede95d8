package dev.onramp.workflows.tables;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.QualifiedName;
import java.util.List;

/**
 * What one side (upstream or Materialize) of a table change did: ledger entries for what it created
 * or changed (offboarding undoes them with the onboarding's), removals for what it took back (done
 * already; for people to read), the changes in words, and (upstream ADD) the tables it added to the
 * publication, which the workflow takes back if Materialize then refuses them.
 */
public record TableChangeOutcome(
    List<LedgerEntry> entries,
    List<Removal> removals,
    List<String> changes,
    List<QualifiedName> newlyPublished) {
  public TableChangeOutcome {
    entries = entries == null ? List.of() : List.copyOf(entries);
    removals = removals == null ? List.of() : List.copyOf(removals);
    changes = changes == null ? List.of() : List.copyOf(changes);
    newlyPublished = newlyPublished == null ? List.of() : List.copyOf(newlyPublished);
  }

  public TableChangeOutcome(
      List<LedgerEntry> entries, List<Removal> removals, List<String> changes) {
    this(entries, removals, changes, List.of());
  }
}
