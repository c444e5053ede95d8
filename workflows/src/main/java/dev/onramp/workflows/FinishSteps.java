package dev.onramp.workflows;

import dev.onramp.activities.materialize.ClusterUtilization;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.upstream.SnapshotEstimate;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Locale;

/** Steps 9–11: the initial snapshot, the cluster's size, the re-verification schedule. */
final class FinishSteps {
  private final OnboardingRequest request;
  private final TargetNames names;
  private final OnboardingActivities act;
  private final ReadCalls reads;
  private final ProgressTracker progress;
  private final ResourceCalls calls;
  private final SnapshotSizeSteps sizing;

  FinishSteps(
      Preflighted found, OnboardingActivities act, ProgressTracker progress, ResourceCalls calls) {
    this(found, act, ReadCalls.ordinary(act), progress, calls);
  }

  /** {@code reads}: the stub of the utilisation read ({@link ReadCalls}, {@code lean-history}). */
  FinishSteps(
      Preflighted found,
      OnboardingActivities act,
      ReadCalls reads,
      ProgressTracker progress,
      ResourceCalls calls) {
    this.request = found.request();
    this.names = found.names();
    this.act = act;
    this.reads = reads;
    this.progress = progress;
    this.calls = calls;
    this.sizing = new SnapshotSizeSteps(found, act, progress);
  }

  /** Step 9: until the snapshot is committed, or the source's own error. */
  SnapshotStatus snapshot() {
    String source = request.materialize().source();
    progress.start(OnboardingStep.SNAPSHOT, "source " + source);
    SnapshotEstimate estimate = sizing.estimate();
    progress.waiting(
        OnboardingStep.SNAPSHOT,
        "the snapshot of "
            + source
            + (estimate == null ? "" : " (" + estimate.describe() + ")")
            + " to commit");
    SnapshotStatus status =
        act.snapshot.awaitSnapshot(
            names.source(), request.waits().snapshotPollInterval(), request.waits().stalledGrace());
    progress.done(
        OnboardingStep.SNAPSHOT,
        "snapshot committed, "
            + status.snapshotRecordsStaged()
            + " record(s), status "
            + status.status());
    return status;
  }

  /** Step 10: report utilization; resize when asked to. Returns the cluster's size. */
  String rightSize() {
    MaterializeTarget m = request.materialize();
    progress.start(OnboardingStep.RIGHT_SIZE, "cluster " + m.cluster());
    ClusterUtilization u = reads.materialize.clusterUtilization(names.cluster());
    String report =
        String.format(
            Locale.ROOT,
            "cluster %s (%s): cpu %.0f%%, memory %.0f%%, suggested %s",
            u.cluster(),
            u.size(),
            u.cpuPercent(),
            u.memoryPercent(),
            u.suggestedSize());
    String shrunk = sizing.shrinkAfterSnapshot(u);
    if (shrunk != null) {
      progress.done(OnboardingStep.RIGHT_SIZE, shrunk);
      return m.sizeAfterSnapshot();
    }
    if (m.resizeTo() != null && !m.resizeTo().equals(u.size())) {
      act.materialize.resizeCluster(names.cluster(), m.resizeTo());
      progress.done(OnboardingStep.RIGHT_SIZE, report + "; resized to " + m.resizeTo());
      return m.resizeTo();
    }
    progress.done(OnboardingStep.RIGHT_SIZE, report);
    return u.size();
  }

  /** Step 11: the schedule that keeps re-verifying the onboarded database. */
  void reverification() {
    Duration every = request.reverifyEvery();
    if (every.isZero()) {
      // An earlier onboarding of this database may have left its schedule: turned off means off.
      int version =
          Workflow.getVersion(
              "delete-schedule-when-reverification-off", Workflow.DEFAULT_VERSION, 1);
      boolean deleted = version >= 1 && act.reverification.deleteSchedule(request);
      progress.skipped(
          OnboardingStep.REVERIFICATION,
          deleted
              ? "re-verification turned off; deleted the earlier schedule"
              : "re-verification turned off");
      return;
    }
    progress.start(OnboardingStep.REVERIFICATION, "every " + HumanDurations.format(every));
    String scheduleId = calls.schedule(every);
    progress.done(
        OnboardingStep.REVERIFICATION,
        "schedule " + scheduleId + " every " + HumanDurations.format(every));
  }
}
