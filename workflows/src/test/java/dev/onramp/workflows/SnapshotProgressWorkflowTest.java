package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.materialize.SnapshotProgress;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Step 9 with {@code snapshot-progress}: the estimate before the snapshot, the wait's readings in
 * the progress query (sent as signals), and the snapshot size shrunk only after the wait has
 * returned with the snapshot committed.
 */
class SnapshotProgressWorkflowTest extends WorkflowTestSupport {

  static OnboardingRequest withSnapshotSize(String snapshotSize) {
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    MaterializeTarget m =
        r.materialize() == null
            ? new MaterializeTarget(null, null, null, null, null, null, null, null, null)
            : r.materialize();
    return r.withMaterialize(
        new MaterializeTarget(
            m.cluster(),
            "25cc",
            m.source(),
            m.connection(),
            m.secret(),
            m.sslMode(),
            m.sshTunnelConnection(),
            m.privatelinkConnection(),
            m.resizeTo(),
            snapshotSize));
  }

  @Test
  void theProgressQueryShowsTheEstimateAndTheLatestReadingWhileTheSnapshotRuns() throws Exception {
    world.snapshotRunning = new CountDownLatch(1);
    world.snapshotRelease = new CountDownLatch(1);
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    // The reboot path waits on timers: let workflow time pass until the snapshot wait runs.
    for (int i = 0; i < 200 && !world.snapshotRunning.await(50, TimeUnit.MILLISECONDS); i++) {
      env.sleep(java.time.Duration.ofSeconds(10));
    }
    assertThat(world.snapshotRunning.getCount()).isZero();

    OnboardingProgress before = wf.progress();
    assertThat(before.snapshotEstimate().rows()).isEqualTo(42);
    assertThat(before.step(OnboardingStep.SNAPSHOT).message())
        .contains("~42 rows, 24 kB in 2 table(s)");
    assertThat(before.snapshotProgress()).isNull();

    SnapshotProgress reading =
        new SnapshotProgress("shop_source", 1_000_000L, 412_000L, false, 95_000, 7L, Instant.now());
    wf.snapshotProgress(reading);
    OnboardingProgress during = wf.progress();
    assertThat(during.snapshotProgress()).isEqualTo(reading);
    assertThat(during.snapshotProgress().line())
        .isEqualTo("snapshot 412,000 / 1,000,000 rows (41 %), 95,000 rows/s, ETA 7 s");

    world.snapshotRelease.countDown();
    result(wf);
    // A reading that arrives after the step is over does not overwrite the finished picture.
    OnboardingProgress after = wf.progress();
    assertThat(after.step(OnboardingStep.SNAPSHOT).state()).isEqualTo(StepState.DONE);
    assertThat(world.calls)
        .containsSubsequence("upstream.estimateSnapshot", "materialize.awaitSnapshot");
    assertThat(world.calls).noneMatch(c -> c.startsWith("materialize.shrinkAfterSnapshot"));
  }

  @Test
  void aSnapshotSizeIsShrunkOnlyAfterTheSnapshotIsCommitted() {
    OnboardingWorkflow wf = start(withSnapshotSize("200cc"));
    OnboardingResult result = result(wf);

    assertThat(world.calls)
        .containsSubsequence(
            "materialize.convergeCluster",
            "materialize.awaitSnapshot",
            "materialize.clusterUtilization",
            "materialize.shrinkAfterSnapshot:25cc");
    assertThat(world.clusterSize).isEqualTo("25cc");
    assertThat(result.clusterSize()).isEqualTo("25cc");
    assertThat(wf.progress().step(OnboardingStep.RIGHT_SIZE).message())
        .startsWith(
            "snapshot committed; cluster onramp_ingest shrunk from 200cc to 25cc (at 200cc:");
  }
}
