package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.tables.TableChangeAction;
import dev.onramp.workflows.tables.TableChangeOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code onramp tables add|drop} in Materialize: relations added to or dropped from onramp's source
 * without recreating it. Legacy Materialize adds with {@code ALTER SOURCE ... ADD SUBSOURCE} and
 * removes a subsource with {@code DROP SOURCE <subsource>} (there is no DROP SUBSOURCE); v26+ adds
 * with {@code CREATE TABLE ... FROM SOURCE} and removes with {@code DROP TABLE}
 * (reference/materialize.md, "Sources").
 */
final class SourceTableChanges {
  private SourceTableChanges() {}

  static TableChangeOutcome change(Connection c, SourceTableChange change) throws SQLException {
    SourceSpec spec = change.source();
    SourceSyntax syntax = spec.syntax();
    String id = SourceResource.sourceId(c, spec.name());
    if (id == null) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.MATERIALIZE,
          "source "
              + spec.name()
              + " does not exist in Materialize; run the onboarding again (it recreates the"
              + " source), then change its tables");
    }
    MzOwnership.refuseForeignUnlessOurs(
        c,
        MzKind.SOURCE,
        spec.name(),
        change.action() == TableChangeAction.ADD ? "add tables to it" : "drop tables from it");
    List<String> before = SourceRelations.names(c, id, syntax);
    List<String> changes = new ArrayList<>();
    List<Removal> removals = new ArrayList<>();
    if (change.action() == TableChangeAction.ADD) {
      List<String> added =
          SourceRelations.addMissing(c, id, spec.withRelationsFor(change.tables()), syntax);
      added.forEach(r -> changes.add("source " + spec.name() + " now feeds " + r));
    } else {
      for (QualifiedName t : change.tables()) {
        Removal r = drop(c, id, spec.name(), t);
        removals.add(r);
        if (r.outcome() == RemovalOutcome.REMOVED) {
          changes.add(r.message());
        }
      }
    }
    List<String> after = SourceRelations.names(c, id, syntax);
    LedgerEntry entry =
        after.equals(before)
            ? LedgerEntry.reused(ResourceKind.MZ_SOURCE, spec.name())
            : LedgerEntry.changed(
                ResourceKind.MZ_SOURCE, spec.name(), "relations " + SourceRelations.encode(before));
    return new TableChangeOutcome(
        List.of(SourceResource.withAttributes(c, id, spec, after, entry)), removals, changes);
  }

  /**
   * Drops the relation of the source that ingests {@code table}, found by its upstream reference
   * (so relations named before onramp named them after the source are found too).
   */
  private static Removal drop(Connection c, String sourceId, String source, QualifiedName table)
      throws SQLException {
    String[] relation = relationOf(c, sourceId, table);
    String display = table.schema() + "." + table.name();
    if (relation == null) {
      return new Removal(
          ResourceKind.MZ_SOURCE,
          source,
          RemovalOutcome.ALREADY_GONE,
          "source " + source + " does not ingest " + display + "; nothing to drop");
    }
    String dropSql =
        ("table".equals(relation[1]) ? "DROP TABLE " : "DROP SOURCE ")
            + SqlIdentifiers.quote(relation[0]);
    Removal r =
        MaterializeResource.drop(
            c,
            LedgerEntry.created(ResourceKind.MZ_SOURCE, source),
            dropSql,
            relation[1] + " " + relation[0] + " (" + display + ")");
    return r;
  }

  /** The name and kind ({@code subsource} or {@code table}) of what ingests the table; or null. */
  private static String[] relationOf(Connection c, String sourceId, QualifiedName table)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM mz_internal.mz_postgres_source_tables WHERE schema_name = ? AND"
                + " table_name = ? AND id IN ("
                + SourceRelations.outputIds()
                + " UNION SELECT id FROM mz_catalog.mz_tables WHERE source_id = ?)")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      ps.setString(3, sourceId);
      ps.setString(4, sourceId);
      ps.setString(5, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          String sub =
              Sql.single(
                  c,
                  "SELECT name FROM mz_catalog.mz_sources WHERE id = ? AND type = 'subsource'",
                  id);
          if (sub != null) {
            return new String[] {sub, "subsource"};
          }
          String t = Sql.single(c, "SELECT name FROM mz_catalog.mz_tables WHERE id = ?", id);
          if (t != null) {
            return new String[] {t, "table"};
          }
        }
      }
    }
    return null;
  }
}
