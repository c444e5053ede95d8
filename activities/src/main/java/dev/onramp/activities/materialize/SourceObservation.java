package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One reading of a source: the worst status over the source and its relations ({@code
 * mz_internal.mz_source_statuses}), its snapshot counters ({@code mz_source_statistics}) and the
 * first error any of them reports.
 */
record SourceObservation(
    SnapshotStatus status, String error, Long recordsKnown, Long recordsStaged) {

  static SourceObservation read(Connection c, String source) throws SQLException {
    String id =
        Sql.single(
            c,
            "SELECT id FROM mz_catalog.mz_sources WHERE name = ? AND type NOT IN ('subsource',"
                + " 'progress')",
            source);
    if (id == null) {
      return new SourceObservation(
          new SnapshotStatus("missing", false, 0, 0), "source does not exist", null, null);
    }
    String ids =
        "SELECT ? UNION "
            + SourceRelations.outputIds()
            + " UNION SELECT id FROM mz_catalog.mz_tables WHERE source_id = ?";
    String worst = "running";
    String error = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT status, error FROM mz_internal.mz_source_statuses WHERE id IN ("
                + ids
                + ") ORDER BY id")) {
      for (int i = 1; i <= 4; i++) {
        ps.setString(i, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String s = rs.getString(1);
          if (rank(s) > rank(worst)) {
            worst = s;
          }
          if (error == null && rs.getString(2) != null) {
            error = rs.getString(2);
          }
        }
      }
    }
    boolean committed = false;
    Long known = null;
    Long staged = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT bool_and(snapshot_committed), max(CASE WHEN id = ? THEN"
                + " snapshot_records_known END)::int8, max(CASE WHEN id = ? THEN"
                + " snapshot_records_staged END)::int8 FROM mz_internal.mz_source_statistics WHERE"
                + " id IN ("
                + ids
                + ")")) {
      for (int i = 1; i <= 6; i++) {
        ps.setString(i, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          committed = rs.getBoolean(1);
          // NULL until Materialize has counted the snapshot: "not known yet", not zero.
          known = rs.getObject(2, Long.class);
          staged = rs.getObject(3, Long.class);
        }
      }
    }
    return new SourceObservation(
        new SnapshotStatus(
            worst, committed, known == null ? 0 : known, staged == null ? 0 : staged),
        error,
        known,
        staged);
  }

  /** How bad a status is, for the summary over a source and its relations. */
  private static int rank(String status) {
    return switch (status == null ? "" : status) {
      case "running" -> 0;
      case "paused" -> 1;
      case "created", "starting" -> 2;
      case "stalled" -> 3;
      case "failed", "dropped" -> 4;
      default -> 2;
    };
  }
}
