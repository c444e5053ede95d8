package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.tables.TableChangeAction;
import java.util.List;

/**
 * What a table change did. {@code ledger} holds what it created or changed (the source's new
 * relations, replica identities, publication, grants): offboarding undoes it together with the
 * onboarding's ledger. {@code removals} is what a drop took back; {@code changes} says it in words.
 */
public record TableChangeResult(
    String dbInstanceId,
    String database,
    TableChangeAction action,
    List<String> tables,
    List<LedgerEntry> ledger,
    List<Removal> removals,
    List<String> changes) {
  public TableChangeResult {
    tables = tables == null ? List.of() : List.copyOf(tables);
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
    removals = removals == null ? List.of() : List.copyOf(removals);
    changes = changes == null ? List.of() : List.copyOf(changes);
  }
}
