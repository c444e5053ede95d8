package dev.onramp.activities.materialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How often the snapshot wait signals the workflow: the first reading at once, then spaced by at
 * least the poll interval and a tenth of the time waited, so a long snapshot's history stays small.
 */
class SnapshotProgressReportTest {
  private static SnapshotProgress staged(long n) {
    return new SnapshotProgress("s", 1_000_000_000L, n, false, 1, 1L, Instant.EPOCH);
  }

  /** Drives the report's spacing as the wait would: one reading per poll, returns the signals. */
  private static int signalsOver(long pollMs, long totalMs) {
    SnapshotProgressReport report = new SnapshotProgressReport(pollMs, 0);
    int signals = 0;
    long staged = 0;
    for (long now = 0; now <= totalMs; now += pollMs) {
      staged += 1000;
      if (report.signalDue(staged(staged), now)) {
        report.sent(staged(staged), now);
        signals++;
      }
    }
    return signals;
  }

  @Test
  void theFirstReadingGoesAtOnceThenSpacingGrowsWithTheWait() {
    SnapshotProgressReport report = new SnapshotProgressReport(1000, 0);
    assertThat(report.signalDue(staged(1), 0)).isTrue();
    report.sent(staged(1), 0);
    assertThat(report.signalDue(staged(2), 500)).isFalse();
    assertThat(report.signalDue(staged(2), 1000)).isTrue();
    report.sent(staged(2), 1000);
    assertThat(report.signalDue(staged(2), 5000)).as("no news, no signal").isFalse();
    // 100 s into the wait, readings are at least a tenth of the time waited apart.
    report.sent(staged(3), 100_000);
    assertThat(report.signalDue(staged(4), 105_000)).isFalse();
    assertThat(report.signalDue(staged(4), 112_000)).isTrue();
  }

  @Test
  void readingsWithoutCountsOrOfACommittedSnapshotAreNotSignalled() {
    SnapshotProgressReport report = new SnapshotProgressReport(1000, 0);
    assertThat(report.signalDue(new SnapshotProgress("s", null, null, false, 0, null, null), 0))
        .isFalse();
    assertThat(report.signalDue(new SnapshotProgress("s", 5L, 5L, true, 0, null, null), 0))
        .isFalse();
  }

  @Test
  void aTwelveHourSnapshotPolledEveryFiveSecondsSignalsAboutSeventyTimes() {
    assertThat(signalsOver(5_000, 12 * 3600 * 1000L)).isBetween(60, 120);
    assertThat(signalsOver(1_000, 60 * 1000L)).isBetween(10, 40);
  }
}
