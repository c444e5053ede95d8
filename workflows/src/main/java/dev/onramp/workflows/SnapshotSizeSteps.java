package dev.onramp.workflows;

import dev.onramp.activities.materialize.ClusterShrink;
import dev.onramp.activities.materialize.ClusterUtilization;
import dev.onramp.activities.upstream.SnapshotEstimate;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Locale;

/**
 * The snapshot's size around step 9 ({@code snapshot-progress}): the estimate from the upstream
 * catalog before it starts, and the shrink of a cluster that started on a snapshot size once the
 * snapshot is committed. Runs recorded before the change skip both.
 */
final class SnapshotSizeSteps {
  /** The change id; see docs/versioning.md. */
  static final String SNAPSHOT_PROGRESS_CHANGE = "snapshot-progress";

  static final int SNAPSHOT_PROGRESS = 1;

  /** The estimate is for people: a slow or unreachable catalog must not hold the onboarding. */
  private static final Duration ESTIMATE_BOUND = Duration.ofMinutes(2);

  private final Preflighted found;
  private final OnboardingActivities act;
  private final ProgressTracker progress;
  private final boolean enabled;

  SnapshotSizeSteps(Preflighted found, OnboardingActivities act, ProgressTracker progress) {
    this.found = found;
    this.act = act;
    this.progress = progress;
    this.enabled =
        Workflow.getVersion(SNAPSHOT_PROGRESS_CHANGE, Workflow.DEFAULT_VERSION, SNAPSHOT_PROGRESS)
            >= SNAPSHOT_PROGRESS;
  }

  /** Rows and bytes the snapshot will copy, for the progress; null when it could not be read. */
  SnapshotEstimate estimate() {
    if (!enabled) {
      return null;
    }
    UpstreamActivities upstream =
        Workflow.newActivityStub(
            UpstreamActivities.class, OnboardingActivities.call(ESTIMATE_BOUND));
    try {
      SnapshotEstimate e =
          upstream.estimateSnapshot(
              new UpstreamRequest(
                  found.target(),
                  found.request().tables(),
                  found.names().publication(),
                  found.names().replicationUser(),
                  null));
      progress.snapshotEstimate(e);
      return e;
    } catch (ActivityFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      return null;
    }
  }

  /**
   * When the cluster started on the snapshot size (and still has it): reads its utilization and
   * shrinks it, the activity refusing unless the snapshot is committed. Returns the report line, or
   * null when there is nothing to shrink (then the ordinary right-sizing runs): a cluster that
   * existed before at another size was not grown for the snapshot.
   */
  String shrinkAfterSnapshot(ClusterUtilization current) {
    MaterializeTarget m = found.request().materialize();
    if (!enabled || m.snapshotClusterSize() == null) {
      return null;
    }
    String to = m.sizeAfterSnapshot();
    if (!current.size().equals(m.snapshotClusterSize()) || to.equals(current.size())) {
      return null; // it existed before at another size: the ordinary right-sizing applies
    }
    ClusterUtilization atSnapshotSize =
        act.materialize.shrinkAfterSnapshot(
            new ClusterShrink(found.names().cluster(), to, found.names().source()));
    return String.format(
        Locale.ROOT,
        "snapshot committed; cluster %s shrunk from %s to %s (at %s: cpu %.0f%%, memory %.0f%%)",
        atSnapshotSize.cluster(),
        atSnapshotSize.size(),
        to,
        atSnapshotSize.size(),
        atSnapshotSize.cpuPercent(),
        atSnapshotSize.memoryPercent());
  }
}
