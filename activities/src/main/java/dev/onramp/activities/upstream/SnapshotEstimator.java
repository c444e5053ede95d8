package dev.onramp.activities.upstream;

import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshot's size from the upstream catalog, read-only: {@code reltuples} is the planner's row
 * estimate, kept by VACUUM / ANALYZE (and autovacuum); since PostgreSQL 14 it is -1 for a table
 * never vacuumed or analyzed, before that 0 with {@code relpages} 0 (PostgreSQL docs, pg_class).
 * Such a table is counted exactly when it is small enough for {@code count(*)} to be cheap, and
 * reported unknown otherwise: a full scan of a large production table is not ours to start.
 */
final class SnapshotEstimator {
  /** Tables up to this size are counted when never analyzed (a sequential scan of ≤ 256 MB). */
  static final long COUNT_AT_MOST_BYTES = 256L * 1024 * 1024;

  private SnapshotEstimator() {}

  static SnapshotEstimate estimate(Connection c, UpstreamTarget target, TableSelection selection)
      throws SQLException {
    return estimate(c, target, selection, COUNT_AT_MOST_BYTES);
  }

  static SnapshotEstimate estimate(
      Connection c, UpstreamTarget target, TableSelection selection, long countAtMostBytes)
      throws SQLException {
    List<TableEstimate> tables = new ArrayList<>();
    for (QualifiedName t : UpstreamTables.resolve(c, target, selection)) {
      tables.add(table(c, t, countAtMostBytes));
    }
    return SnapshotEstimate.of(tables);
  }

  private static TableEstimate table(Connection c, QualifiedName t, long countAtMostBytes)
      throws SQLException {
    double reltuples;
    long relpages;
    long bytes;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT cl.reltuples::float8, cl.relpages::int8, pg_total_relation_size(cl.oid)::int8"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE"
                + " n.nspname = ? AND cl.relname = ?")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new TableEstimate(UpstreamTables.display(t), null, 0, TableEstimate.UNKNOWN);
        }
        reltuples = rs.getDouble(1);
        relpages = rs.getLong(2);
        bytes = rs.getLong(3);
      }
    }
    String name = UpstreamTables.display(t);
    boolean neverAnalyzed = reltuples < 0 || (reltuples == 0 && relpages == 0);
    if (!neverAnalyzed) {
      return new TableEstimate(name, Math.round(reltuples), bytes, TableEstimate.RELTUPLES);
    }
    if (bytes > countAtMostBytes) {
      return new TableEstimate(name, null, bytes, TableEstimate.UNKNOWN);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + t.quoted());
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new TableEstimate(name, rs.getLong(1), bytes, TableEstimate.COUNT);
    }
  }
}
