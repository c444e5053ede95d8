package dev.onramp.sandbox.materialize;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot counters of {@code mz_source_statistics} while a snapshot is copied: {@code
 * snapshot_records_known} is set when the copy starts, {@code snapshot_records_staged} grows as
 * rows are copied, a few times a second, as Materialize's statistics do (they are flushed
 * periodically, not per row). Written outside the snapshot's own transaction, so readers see them
 * move while {@code snapshot_committed} stays false until that transaction commits.
 */
final class SnapshotCounters {
  /** How often staged counts reach the catalog. */
  private static final long FLUSH_EVERY_MS = 200;

  private final Catalog catalog;
  private final String sourceId;
  private final long sourceBaseStaged;
  private final Map<String, Long> stagedByOutput = new LinkedHashMap<>();
  private long lastFlush = System.currentTimeMillis();

  private SnapshotCounters(Catalog catalog, String sourceId, long sourceBaseStaged) {
    this.catalog = catalog;
    this.sourceId = sourceId;
    this.sourceBaseStaged = sourceBaseStaged;
  }

  /**
   * Records what the snapshot will copy: each output's {@code known} rows, and the source's known
   * count: their sum, or for a later snapshot of added tables what the source had plus their sum.
   */
  static SnapshotCounters start(
      Catalog catalog,
      String sourceId,
      List<SourceIngestion.Output> outputs,
      Map<String, Long> known,
      boolean wholeSource)
      throws SQLException {
    try (Connection c = catalog.connect()) {
      long base = 0;
      if (!wholeSource) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(snapshot_records_staged, 0)::int8 FROM"
                    + " mz_internal.mz_source_statistics WHERE id = ?")) {
          ps.setString(1, sourceId);
          try (ResultSet rs = ps.executeQuery()) {
            base = rs.next() ? rs.getLong(1) : 0;
          }
        }
      }
      long total = 0;
      for (SourceIngestion.Output o : outputs) {
        long rows = known.getOrDefault(o.id(), 0L);
        total += rows;
        Jdbc.update(
            c,
            "UPDATE mz_internal.mz_source_statistics SET snapshot_records_known = ?,"
                + " snapshot_records_staged = 0 WHERE id = ?",
            rows,
            o.id());
      }
      Jdbc.update(
          c,
          "UPDATE mz_internal.mz_source_statistics SET snapshot_records_known = ?,"
              + " snapshot_records_staged = ? WHERE id = ?",
          base + total,
          base,
          sourceId);
      SnapshotCounters counters = new SnapshotCounters(catalog, sourceId, base);
      outputs.forEach(o -> counters.stagedByOutput.put(o.id(), 0L));
      return counters;
    }
  }

  /** What the source had staged before this snapshot (0 for the source's first). */
  long sourceBaseStaged() {
    return sourceBaseStaged;
  }

  /** {@code rows} of {@code output} copied so far; reaches the catalog every few hundred ms. */
  void staged(SourceIngestion.Output output, long rows) throws SQLException {
    stagedByOutput.put(output.id(), rows);
    if (System.currentTimeMillis() - lastFlush >= FLUSH_EVERY_MS) {
      flush(output);
    }
  }

  /**
   * Writes {@code copying}'s staged count and the source's. Only the output being copied: the
   * snapshot's own transaction has already written (and locked) the rows of the outputs copied
   * before it, and waiting for that transaction from the thread that runs it would never end.
   */
  void flush(SourceIngestion.Output copying) throws SQLException {
    lastFlush = System.currentTimeMillis();
    long sum = stagedByOutput.values().stream().mapToLong(Long::longValue).sum();
    try (Connection c = catalog.connect()) {
      Jdbc.update(
          c,
          "UPDATE mz_internal.mz_source_statistics SET snapshot_records_staged = ? WHERE id = ?",
          stagedByOutput.get(copying.id()),
          copying.id());
      Jdbc.update(
          c,
          "UPDATE mz_internal.mz_source_statistics SET snapshot_records_staged = ? WHERE id = ?",
          sourceBaseStaged + sum,
          sourceId);
    }
  }
}
