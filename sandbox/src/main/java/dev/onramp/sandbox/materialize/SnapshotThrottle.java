package dev.onramp.sandbox.materialize;

/**
 * Holds a snapshot copy to at most a number of rows per second (0: as fast as it goes), so a test
 * can watch a million-row snapshot progress for a few seconds instead of a blink.
 */
final class SnapshotThrottle {
  private static final int CHECK_EVERY_ROWS = 1_000;

  private final long rowsPerSecond;
  private final long startedAt = System.nanoTime();

  SnapshotThrottle(long rowsPerSecond) {
    this.rowsPerSecond = rowsPerSecond;
  }

  /** Sleeps until {@code rows} copied so far are no ahead of the allowed rate. */
  void pace(long rows) throws InterruptedException {
    if (rowsPerSecond <= 0 || rows % CHECK_EVERY_ROWS != 0) {
      return;
    }
    long dueNanos = rows * 1_000_000_000L / rowsPerSecond;
    long aheadMs = (dueNanos - (System.nanoTime() - startedAt)) / 1_000_000;
    if (aheadMs > 0) {
      Thread.sleep(aheadMs);
    }
  }
}
