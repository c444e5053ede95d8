package dev.onramp.activities.materialize;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowStub;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the snapshot wait's readings go: every reading into the activity's heartbeat details, and
 * now and then a {@code snapshotProgress} signal to the onboarding workflow that runs the wait, so
 * its progress query (which cannot read heartbeats) shows the snapshot too.
 *
 * <p>A signal rather than a polling activity per interval: a signal costs one history event plus
 * the workflow task it wakes (four events), a poll activity with its timer about ten. The signals
 * are spaced further apart as the snapshot goes on (at least the poll interval, and at least a
 * tenth of the time since the wait began), so their number grows with the logarithm of the
 * snapshot's length: about 70 for a twelve-hour snapshot polled every 5 s, 25 for a minute polled
 * every second (SnapshotProgressReportTest).
 */
final class SnapshotProgressReport {
  private static final Logger log = LoggerFactory.getLogger(SnapshotProgressReport.class);

  /** The signal's name: {@code OnboardingWorkflow#snapshotProgress}. */
  static final String SIGNAL = "snapshotProgress";

  /** Only the onboarding workflow handles the signal (a table change also waits for snapshots). */
  static final String SIGNALLED_WORKFLOW_TYPE = "OnboardingWorkflow";

  private final long minSpacingMs;
  private final long startedMs;
  private long lastSignalMs = -1;
  private Long lastSignalledStaged;

  SnapshotProgressReport(long minSpacingMs, long startedMs) {
    this.minSpacingMs = minSpacingMs;
    this.startedMs = startedMs;
  }

  /** Whether a reading at {@code nowMs} is due to go to the workflow. */
  boolean signalDue(SnapshotProgress p, long nowMs) {
    if (p.recordsStaged() == null || p.committed()) {
      return false; // nothing to show yet; a committed snapshot is in the activity's result
    }
    if (lastSignalMs < 0) {
      return true;
    }
    if (p.recordsStaged().equals(lastSignalledStaged)) {
      return false;
    }
    long spacing = Math.max(minSpacingMs, (nowMs - startedMs) / 10);
    return nowMs - lastSignalMs >= spacing;
  }

  /** Remembers a reading as signalled (spacing counts from it). */
  void sent(SnapshotProgress p, long nowMs) {
    lastSignalMs = nowMs;
    lastSignalledStaged = p.recordsStaged();
  }

  void report(SnapshotProgress p, long nowMs) {
    ActivityExecutionContext ctx;
    try {
      ctx = Activity.getExecutionContext();
    } catch (IllegalStateException notInActivity) {
      return; // called directly, as in a unit test
    }
    ctx.heartbeat(p);
    if (!signalDue(p, nowMs)) {
      return;
    }
    sent(p, nowMs);
    ActivityInfo info = ctx.getInfo();
    if (!SIGNALLED_WORKFLOW_TYPE.equals(info.getWorkflowType())) {
      return;
    }
    try {
      WorkflowStub workflow =
          ctx.getWorkflowClient()
              .newUntypedWorkflowStub(
                  info.getWorkflowId(), Optional.of(info.getRunId()), Optional.empty());
      workflow.signal(SIGNAL, p);
    } catch (RuntimeException e) {
      // Progress is a courtesy: the wait goes on whether or not the workflow heard of it.
      log.info("could not send snapshot progress to {}: {}", info.getWorkflowId(), e.toString());
    }
  }
}
