package dev.onramp.activities.upstream;

/**
 * One published table's size before its snapshot: {@code rows} from {@code pg_class.reltuples}
 * (basis {@code reltuples}), from {@code count(*)} when the table was never analyzed and is small
 * (basis {@code count}), or null when it was never analyzed and too large to count (basis {@code
 * unknown}); {@code bytes} is {@code pg_total_relation_size} (heap, indexes and TOAST).
 */
public record TableEstimate(String table, Long rows, long bytes, String basis) {
  public static final String RELTUPLES = "reltuples";
  public static final String COUNT = "count";
  public static final String UNKNOWN = "unknown";
}
