package dev.onramp.activities.upstream;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.tables.TableChangeAction;
import java.util.List;

/**
 * Tables to add to or drop from what an onboarded database replicates, upstream: the publication,
 * replica identity and the replication role's SELECT. {@code ledger} is what onramp did to the
 * target so far (onboarding and earlier table changes, oldest first): a drop restores a replica
 * identity and revokes a SELECT only where the ledger says onramp changed or granted it.
 */
public record UpstreamTableChange(
    UpstreamTarget target,
    String publication,
    String replicationUser,
    TableChangeAction action,
    List<QualifiedName> tables,
    List<LedgerEntry> ledger) {
  public UpstreamTableChange {
    tables = List.copyOf(tables);
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }
}
