package dev.onramp.sandbox.materialize;

import java.time.Duration;

/**
 * Fault injection for tests and demos. Changes take effect immediately: running ingestions notice
 * an unreachable upstream within a second and report their sources as {@code stalled}.
 */
public final class Faults {

  /** The error Materialize (tokio-postgres) reports when the upstream refuses TCP connections. */
  public static final String UNREACHABLE_ERROR =
      "error connecting to server: Connection refused (os error 111)";

  private volatile boolean upstreamUnreachable;
  private volatile Duration slowSnapshot = Duration.ZERO;
  private volatile long snapshotRowsPerSecond;
  private final java.util.concurrent.atomic.AtomicInteger commentsToDrop =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The next {@code n} COMMENT ON statements fail as a dropped connection would ({@code 08006}),
   * without storing the comment: a client killed between a CREATE and its COMMENT ON.
   */
  public Faults dropConnectionOnComment(int n) {
    commentsToDrop.set(n);
    return this;
  }

  /** Whether this COMMENT ON is one to fail (counts it down). */
  boolean takeCommentDrop() {
    return commentsToDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Makes every upstream connection (validation and ingestion) fail as if the host were down. */
  public Faults upstreamUnreachable(boolean unreachable) {
    this.upstreamUnreachable = unreachable;
    return this;
  }

  public boolean upstreamUnreachable() {
    return upstreamUnreachable;
  }

  /**
   * Holds each snapshot open this long before committing it, so {@code snapshot_committed} stays
   * false for a while.
   */
  public Faults slowSnapshot(Duration delay) {
    this.slowSnapshot = delay == null ? Duration.ZERO : delay;
    return this;
  }

  public Duration slowSnapshot() {
    return slowSnapshot;
  }

  /**
   * Copies snapshots at no more than this many rows per second (0: unthrottled), so the growth of
   * {@code snapshot_records_staged} can be watched on a table a test generates in seconds.
   */
  public Faults snapshotRowsPerSecond(long rowsPerSecond) {
    this.snapshotRowsPerSecond = Math.max(0, rowsPerSecond);
    return this;
  }

  public long snapshotRowsPerSecond() {
    return snapshotRowsPerSecond;
  }

  /** Clears all faults. */
  public Faults reset() {
    upstreamUnreachable = false;
    slowSnapshot = Duration.ZERO;
    snapshotRowsPerSecond = 0;
    commentsToDrop.set(0);
    return this;
  }
}
