package dev.onramp.activities.upstream;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.QualifiedName;
import java.util.List;

/**
 * What {@link UpstreamActivities#ensureUpstreamObjects} left in place and what it changed; {@code
 * note} (or null) says what differs from what was asked, e.g. an explicit table list where {@code
 * FOR ALL TABLES} was refused; {@code tableNames} are the published tables as names; {@code ledger}
 * (empty from {@code ensureUpstreamObjects}) has one entry per converged resource.
 */
public record UpstreamObjects(
    String publication,
    String replicationUser,
    List<String> tables,
    List<String> changes,
    String note,
    List<QualifiedName> tableNames,
    List<LedgerEntry> ledger) {
  public UpstreamObjects(
      String publication, String replicationUser, List<String> tables, List<String> changes) {
    this(publication, replicationUser, tables, changes, null, null, List.of());
  }

  public UpstreamObjects(
      String publication,
      String replicationUser,
      List<String> tables,
      List<String> changes,
      String note,
      List<QualifiedName> tableNames) {
    this(publication, replicationUser, tables, changes, note, tableNames, List.of());
  }
}
