package dev.onramp.activities.upstream;

import static dev.onramp.activities.upstream.UpstreamTables.display;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code REPLICA IDENTITY FULL} on every selected table: Materialize needs the old row of every
 * UPDATE and DELETE (Materialize docs, "PostgreSQL: Change data capture"). The ledger keeps the
 * setting before ({@code d}, {@code n}, {@code f} or {@code i:<index>}) so offboarding can put it
 * back.
 */
final class ReplicaIdentityResource implements UpstreamResource {
  static final String FULL = "f";

  @Override
  public ResourceKind kind() {
    return ResourceKind.REPLICA_IDENTITY;
  }

  /** The table's setting as the ledger writes it, or null when the table does not exist. */
  static String inspect(Connection c, QualifiedName t) throws SQLException {
    return Sql.single(
        c,
        "SELECT CASE WHEN cl.relreplident = 'i' THEN 'i:' || coalesce((SELECT ic.relname FROM"
            + " pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = cl.oid"
            + " AND i.indisreplident), '') ELSE cl.relreplident::text END FROM pg_class cl WHERE"
            + " cl.oid = to_regclass(?)",
        t.quoted());
  }

  @Override
  public List<PlannedChange> plan(UpstreamSession s) throws SQLException {
    List<PlannedChange> out = new ArrayList<>();
    for (QualifiedName t : s.tables) {
      String now = inspect(s.c, t);
      out.add(
          FULL.equals(now)
              ? new PlannedChange(kind(), display(t), PlanAction.REUSE, "already FULL")
              : new PlannedChange(
                  kind(),
                  display(t),
                  PlanAction.CHANGE,
                  "replica identity is "
                      + words(now)
                      + (UpstreamTables.hasPrimaryKey(s.c, t)
                          ? ""
                          : " and the table has no primary key")
                      + "; set to FULL"));
    }
    return out;
  }

  @Override
  public List<LedgerEntry> converge(UpstreamSession s) throws SQLException {
    List<LedgerEntry> out = new ArrayList<>();
    for (QualifiedName t : s.tables) {
      String before = inspect(s.c, t);
      if (FULL.equals(before)) {
        out.add(LedgerEntry.reused(kind(), display(t)));
        continue;
      }
      UpstreamDdl.exec(
          s.c,
          "ALTER TABLE " + t.quoted() + " REPLICA IDENTITY FULL",
          "REPLICA IDENTITY FULL on " + display(t),
          display(t));
      s.changes.add("set REPLICA IDENTITY FULL on " + display(t));
      out.add(LedgerEntry.changed(kind(), display(t), before));
    }
    return out;
  }

  @Override
  public List<Finding> drift(UpstreamSession s) throws SQLException {
    List<Finding> out = new ArrayList<>();
    for (QualifiedName t : s.tables) {
      String now = inspect(s.c, t);
      if (now != null && !FULL.equals(now)) {
        out.add(
            new Finding(
                Severity.CRITICAL,
                kind(),
                display(t),
                "table " + display(t) + " no longer has REPLICA IDENTITY FULL",
                "ALTER TABLE " + t.quoted() + " REPLICA IDENTITY FULL;"));
      }
    }
    return out;
  }

  @Override
  public Removal remove(UpstreamSession s, LedgerEntry entry) throws SQLException {
    if (entry.outcome() == Outcome.REUSED) {
      return Removal.of(
          entry, RemovalOutcome.KEPT_NOT_OURS, "it was FULL before onramp; left as it is");
    }
    QualifiedName t = UpstreamTables.parse(entry.identifier());
    String now = inspect(s.c, t);
    if (now == null) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the table no longer exists");
    }
    String previous = entry.previous() == null ? "d" : entry.previous();
    if (now.equals(previous)) {
      // An earlier offboarding put it back already: nothing left to do.
      return Removal.of(
          entry, RemovalOutcome.RESTORED, "replica identity is already back to " + words(previous));
    }
    if (!FULL.equals(now)) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "replica identity is now "
              + words(now)
              + ", not the FULL onramp set; left as it is (it was "
              + words(previous)
              + ")");
    }
    String restore = clause(previous);
    if (previous.startsWith("i:")
        && !Sql.exists(
            s.c,
            "SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid"
                + " = to_regclass(?) AND ic.relname = ?",
            t.quoted(),
            previous.substring(2))) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "index "
              + display(previous.substring(2))
              + " no longer exists, so the replica identity stays FULL; choose one and run"
              + " ALTER TABLE "
              + t.quoted()
              + " REPLICA IDENTITY ...");
    }
    if (restore != null) {
      UpstreamDdl.exec(
          s.c,
          "ALTER TABLE " + t.quoted() + " REPLICA IDENTITY " + restore,
          "restoring REPLICA IDENTITY of " + display(t),
          display(t));
    }
    return Removal.of(
        entry, RemovalOutcome.RESTORED, "replica identity back to " + words(previous));
  }

  /** The ALTER TABLE clause that sets {@code setting}; null for FULL (nothing to do). */
  private static String clause(String setting) {
    return switch (setting.charAt(0)) {
      case 'n' -> "NOTHING";
      case 'i' -> "USING INDEX " + SqlIdentifiers.quote(setting.substring(2));
      case 'f' -> null;
      default -> "DEFAULT";
    };
  }

  static String words(String setting) {
    if (setting == null) {
      return "unknown (the table does not exist)";
    }
    return switch (setting.charAt(0)) {
      case 'n' -> "NOTHING";
      case 'i' -> "USING INDEX " + display(setting.substring(2));
      case 'f' -> "FULL";
      default -> "DEFAULT";
    };
  }
}
