package dev.onramp.activities.upstream;

import java.util.List;
import java.util.Locale;

/**
 * What the initial snapshot will copy, estimated from the upstream catalog before it starts: rows
 * and bytes per published table, and their sums ({@code rows} null when any table's count is
 * unknown).
 */
public record SnapshotEstimate(List<TableEstimate> tables, Long rows, long bytes) {
  public SnapshotEstimate {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  public static SnapshotEstimate of(List<TableEstimate> tables) {
    boolean unknown = tables.stream().anyMatch(t -> t.rows() == null);
    long rows = tables.stream().mapToLong(t -> t.rows() == null ? 0 : t.rows()).sum();
    long bytes = tables.stream().mapToLong(TableEstimate::bytes).sum();
    return new SnapshotEstimate(tables, unknown ? null : rows, bytes);
  }

  /**
   * For people: {@code ~1,000,000 rows, 42 MB in 3 table(s)}, or rows "unknown" (never analyzed).
   */
  public String describe() {
    String r =
        rows == null
            ? "unknown rows (" + unknownTables() + " never analyzed; run ANALYZE for an estimate)"
            : "~" + String.format(Locale.ROOT, "%,d", rows) + " rows";
    return r + ", " + bytes(bytes) + " in " + tables.size() + " table(s)";
  }

  private long unknownTables() {
    return tables.stream().filter(t -> t.rows() == null).count();
  }

  /** Bytes as pg_size_pretty writes them (powers of 1024). */
  public static String bytes(long b) {
    String[] units = {"bytes", "kB", "MB", "GB", "TB"};
    double v = b;
    int u = 0;
    while (v >= 10 * 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%d %s", Math.round(v), units[u]);
  }
}
