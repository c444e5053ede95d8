package dev.onramp.activities.materialize;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Rows per second and time left, from the staged counts of the last readings (a sliding window, so
 * the rate follows a copy that speeds up or slows down rather than averaging since the start).
 */
final class SnapshotRate {
  private static final long WINDOW_MS = 30_000;

  private record Reading(long atMs, long staged) {}

  private final Deque<Reading> window = new ArrayDeque<>();

  /** Adds a reading and returns the progress it makes, rate and ETA over the window. */
  SnapshotProgress observe(String source, SourceObservation o, Instant now) {
    long atMs = now.toEpochMilli();
    Long staged = o.recordsStaged();
    Long known = o.recordsKnown();
    double rate = 0;
    if (staged != null) {
      if (!window.isEmpty() && staged < window.peekLast().staged()) {
        window.clear(); // the snapshot started over (a restarted source re-copies)
      }
      window.addLast(new Reading(atMs, staged));
      while (window.size() > 2 && atMs - window.peekFirst().atMs() > WINDOW_MS) {
        window.removeFirst();
      }
      Reading first = window.peekFirst();
      long ms = atMs - first.atMs();
      if (ms > 0 && staged > first.staged()) {
        rate = (staged - first.staged()) * 1000.0 / ms;
      }
    }
    boolean committed = o.status().snapshotCommitted();
    Long eta = null;
    if (!committed && rate > 0 && known != null && staged != null) {
      eta = (long) Math.ceil(Math.max(0, known - staged) / rate);
    }
    return new SnapshotProgress(source, known, staged, committed, rate, eta, now);
  }
}
