package dev.onramp.workflows;

import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the replay corpus: drives the workflow through every path against the FakeWorld in the
 * test server and writes each history to {@code src/test/resources/histories/<label>/}. Runs only
 * when asked (see docs/versioning.md):
 *
 * <pre>mvn -B -ntp -pl workflows verify -Dtest=HistoryRecorder -Drecord.histories=true</pre>
 *
 * <p>{@code -Drecord.label=...} names the folder (default: today's UTC date). Earlier folders stay:
 * they are the runs already in flight that today's code must still replay.
 */
@EnabledIfSystemProperty(named = "record.histories", matches = "true")
class HistoryRecorder extends WorkflowTestSupport {
  private static final Path ROOT = Path.of("src/test/resources/histories");

  private static Path folder() {
    String label = System.getProperty("record.label");
    return ROOT.resolve(
        label == null || label.isBlank() ? LocalDate.now(ZoneOffset.UTC).toString() : label);
  }

  private void write(String name, OnboardingRequest request) throws IOException {
    write(name, client.fetchHistory(OnboardingWorkflows.workflowId(request)));
  }

  private static void write(String name, WorkflowExecutionHistory history) throws IOException {
    Path out = folder().resolve(name + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, history.toJson(true), StandardCharsets.UTF_8);
  }

  private void finish(OnboardingWorkflow wf) {
    try {
      result(wf);
    } catch (RuntimeException expected) {
      // failed and cancelled runs are paths too
    }
  }

  @Test
  void alreadyOn() throws IOException {
    world.parameterGroup = "custom-logical";
    world.groupSetsLogical.put("custom-logical", true);
    world.groupMembers.put("custom-logical", new HashSet<>(Set.of("db-1")));
    world.logicalReplicationOn = true;
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    finish(start(r));
    write("already-on", r);
  }

  /** {@code wal-keep-size} (record with {@code -Drecord.label=wal-keep-size-1}). */
  @Test
  void setMaxSlotWalKeepSize() throws IOException {
    world.walKeepSize = "-1";
    world.allocatedStorageGib = 20;
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE).withSetMaxSlotWalKeepSizeMb(0L);
    finish(start(r));
    write("set-max-slot-wal-keep-size", r);
  }

  @Test
  void auroraWriterApproved() throws IOException {
    world.engine = "aurora-postgresql";
    world.cluster =
        new dev.onramp.activities.rds.DbInstanceInfo.ClusterMembership(
            "orders-cluster",
            "aurora-postgresql",
            "available",
            true,
            "db-1",
            "default.aurora-postgresql16",
            "in-sync");
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(r);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.approveReboot("alice");
    finish(wf);
    write("aurora-writer-approved", r);
  }

  @Test
  void auroraReaderRefused() throws IOException {
    world.engine = "aurora-postgresql";
    world.cluster =
        new dev.onramp.activities.rds.DbInstanceInfo.ClusterMembership(
            "orders-cluster",
            "aurora-postgresql",
            "available",
            false,
            "orders-writer",
            "default.aurora-postgresql16",
            "in-sync");
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    finish(start(r));
    write("aurora-reader-refused", r);
  }

  @Test
  void defaultGroup() throws IOException {
    world.describeLag = 2;
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    finish(start(r));
    write("default-group-immediate", r);
  }

  @Test
  void sharedGroupCopied() throws IOException {
    world.parameterGroup = "team-pg16";
    world.groupSetsLogical.put("team-pg16", false);
    world.groupMembers.put("team-pg16", new HashSet<>(Set.of("db-1", "db-2")));
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    finish(start(r));
    write("shared-group-copied", r);
  }

  @Test
  void approvalApproved() throws IOException {
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(r);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.approveReboot("alice");
    finish(wf);
    write("approval-approved", r);
  }

  @Test
  void approvalApprovedBySignal() throws IOException {
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(r);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.rebootDecision(new RebootDecision(true, "web-ui-user", null, null));
    finish(wf);
    write("approval-approved-by-signal", r);
  }

  @Test
  void approvalRejected() throws IOException {
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(r);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.rejectReboot("bob", "peak hours");
    finish(wf);
    write("approval-rejected", r);
  }

  @Test
  void approvalTimedOut() throws IOException {
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    finish(start(r));
    write("approval-timed-out", r);
  }

  @Test
  void maintenanceWindow() throws IOException {
    OnboardingRequest r = request(RebootPolicy.MAINTENANCE_WINDOW);
    finish(start(r));
    write("maintenance-window", r);
  }

  @Test
  void twoReboots() throws IOException {
    world.rebootsThatDoNotApply = 1;
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(r);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.approveReboot("alice");
    for (int i = 0;
        i < 200
            && !(world.reboots.size() == 1
                && wf.progress().status() == OnboardingStatus.WAITING_FOR_APPROVAL);
        i++) {
      env.sleep(Duration.ofSeconds(30));
    }
    wf.approveReboot("carol");
    finish(wf);
    write("two-reboots-approved", r);
  }

  @Test
  void cancelledDuringTheReboot() throws IOException {
    world.rebootDuration = Duration.ofHours(2);
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    OnboardingWorkflow wf = start(r);
    awaitWaiting(wf, OnboardingStep.REBOOT_AND_WAIT);
    WorkflowStub.fromTyped(wf).cancel();
    finish(wf);
    write("cancelled-during-reboot", r);
  }

  @Test
  void stillWaitingForApproval() throws IOException {
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(r);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    write("open-waiting-for-approval", r);
  }

  @Test
  void pendingModificationsRefused() throws IOException {
    world.pendingModifications = java.util.List.of("DBInstanceClass=db.r6g.large");
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    finish(start(r));
    write("pending-modifications-refused", r);
  }

  @Test
  void plan() throws IOException {
    OnboardingRequest r = request(RebootPolicy.APPROVAL);
    String id = OnboardingWorkflows.planWorkflowId(r, "recording");
    client
        .newWorkflowStub(
            PlanWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build())
        .plan(r);
    write("plan", client.fetchHistory(id));
  }

  @Test
  void verificationRun() throws IOException {
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    finish(start(r));
    String id = "verify-recording";
    client
        .newWorkflowStub(
            VerificationWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build())
        .verify(r);
    write("verification", client.fetchHistory(id));
  }

  /** A run that finds drift and one part unreachable: it fails with DriftFound. */
  @Test
  void verificationRunWithDrift() throws IOException {
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE);
    finish(start(r));
    world.upstreamUnreachable = true;
    world.materializeObjects.remove("source shop_source");
    String id = "verify-drift-recording";
    try {
      client
          .newWorkflowStub(
              VerificationWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build())
          .verify(r);
    } catch (RuntimeException expected) {
      // DriftFound: the failed run is the path
    }
    write("verification-drift", client.fetchHistory(id));
  }

  /**
   * {@code snapshot-progress}: the estimate, one progress signal while the snapshot runs, and a
   * cluster started on a snapshot size shrunk once the snapshot is committed.
   */
  @Test
  void snapshotSizeShrunk() throws Exception {
    world.snapshotRunning = new java.util.concurrent.CountDownLatch(1);
    world.snapshotRelease = new java.util.concurrent.CountDownLatch(1);
    OnboardingRequest r = SnapshotProgressWorkflowTest.withSnapshotSize("200cc");
    OnboardingWorkflow wf = start(r);
    for (int i = 0;
        i < 200 && !world.snapshotRunning.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        i++) {
      env.sleep(java.time.Duration.ofSeconds(10));
    }
    wf.snapshotProgress(
        new dev.onramp.activities.materialize.SnapshotProgress(
            "shop_source", 42L, 21L, false, 10.5, 2L, START));
    world.snapshotRelease.countDown();
    finish(wf);
    write("snapshot-size-shrunk", r);
  }
}
