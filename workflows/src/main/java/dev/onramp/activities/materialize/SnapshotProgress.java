package dev.onramp.activities.materialize;

import java.time.Instant;
import java.util.Locale;

/**
 * One reading of a running snapshot for people: {@code snapshot_records_staged} of {@code
 * snapshot_records_known} (null while Materialize has not reported them yet), the rate over the
 * last readings and the time left at that rate (null when there is no rate yet). Sent by the
 * snapshot wait as its heartbeat details and, now and then, to the onboarding workflow.
 */
public record SnapshotProgress(
    String source,
    Long recordsKnown,
    Long recordsStaged,
    boolean committed,
    double rowsPerSecond,
    Long etaSeconds,
    Instant observedAt) {

  /** Percent of known records staged, or null while known is not reported. */
  public Integer percent() {
    if (recordsKnown == null || recordsStaged == null || recordsKnown <= 0) {
      return null;
    }
    return (int) Math.min(100, recordsStaged * 100 / recordsKnown);
  }

  /** {@code snapshot 412,000 / 1,000,000 rows (41 %), 95,000 rows/s, ETA 6 s}. */
  public String line() {
    StringBuilder b = new StringBuilder("snapshot ");
    if (recordsStaged == null) {
      b.append("starting");
    } else {
      b.append(String.format(Locale.ROOT, "%,d", recordsStaged));
      b.append(" / ");
      b.append(recordsKnown == null ? "?" : String.format(Locale.ROOT, "%,d", recordsKnown));
      b.append(" rows");
      Integer pct = percent();
      if (pct != null) {
        b.append(" (").append(pct).append(" %)");
      }
    }
    if (committed) {
      return b.append(", committed").toString();
    }
    if (rowsPerSecond > 0) {
      b.append(String.format(Locale.ROOT, ", %,d rows/s", Math.round(rowsPerSecond)));
    }
    if (etaSeconds != null) {
      b.append(", ETA ").append(eta(etaSeconds));
    }
    return b.toString();
  }

  private static String eta(long s) {
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
