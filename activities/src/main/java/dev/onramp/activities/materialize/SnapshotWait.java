package dev.onramp.activities.materialize;

import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The frequent poll of a source until its snapshot is committed: one long activity that checks
 * every few seconds and heartbeats its reading (Temporal's "frequent polling" pattern): records
 * staged of known, rate and ETA ({@link SnapshotProgress}), which now and then also go to the
 * onboarding workflow ({@link SnapshotProgressReport}).
 */
final class SnapshotWait {
  private final MaterializeClient client;

  SnapshotWait(MaterializeClient client) {
    this.client = client;
  }

  SnapshotStatus await(String source, Duration pollInterval, Duration stalledGrace) {
    long sleep = Math.max(100, pollInterval == null ? 1000 : pollInterval.toMillis());
    long graceNanos = stalledGrace == null ? 0 : stalledGrace.toNanos();
    long stalledSince = -1;
    SnapshotRate rate = new SnapshotRate();
    SnapshotProgressReport report = new SnapshotProgressReport(sleep, System.currentTimeMillis());
    while (true) {
      SourceObservation o;
      try (Connection c = client.connect()) {
        o = SourceObservation.read(c, source);
      } catch (SQLException e) {
        throw MaterializeClient.failure("reading the status of source " + source, e);
      }
      SnapshotStatus s = o.status();
      Instant readAt = Instant.now();
      report.report(rate.observe(source, o, readAt), readAt.toEpochMilli());
      switch (s.status()) {
        case "missing" ->
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.SOURCE_FAILED, "source " + source + " does not exist");
        case "stalled" -> {
          // Materialize sources stall on transient upstream trouble and recover by themselves;
          // only a stall that outlasts the grace period is final.
          long now = System.nanoTime();
          if (stalledSince < 0) {
            stalledSince = now;
          }
          if (now - stalledSince >= graceNanos) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.SOURCE_FAILED,
                "source "
                    + source
                    + " is stalled"
                    + (graceNanos > 0 ? " (for more than " + stalledGrace.toSeconds() + " s)" : "")
                    + ": "
                    + (o.error() == null ? "no error reported" : o.error()));
          }
        }
        case "failed", "dropped" ->
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.SOURCE_FAILED,
                "source "
                    + source
                    + " is "
                    + s.status()
                    + ": "
                    + (o.error() == null ? "no error reported" : o.error()));
        default -> {
          stalledSince = -1;
          if (s.snapshotCommitted() && "running".equals(s.status())) {
            return s;
          }
        }
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for " + source, OnboardingFailures.NOT_READY);
      }
    }
  }
}
