package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The reboot path against a FakeWorld that lags like RDS: waits decide on evidence, every reboot
 * passes the gate, and nothing changes while someone else's modifications are pending.
 */
class RebootGateTest extends WorkflowTestSupport {

  @Test
  void immediateRebootsExactlyOnceWhenDescribesLag() {
    world.describeLag = 3;

    OnboardingResult result = result(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(world.reboots).hasSize(1);
    assertThat(result.reboots()).isEqualTo(1);
    assertThat(world.calls).contains("rds.checkAssociated").doesNotContain("rds.checkAvailable");
  }

  @Test
  void approvalRebootsExactlyOnceWhenDescribesLag() {
    world.describeLag = 3;
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);

    wf.approveReboot("alice");

    assertThat(result(wf).reboots()).isEqualTo(1);
    assertThat(world.reboots).hasSize(1);
  }

  @Test
  void aParameterStillOffAsksForASecondApprovalInsteadOfRebootingSilently() {
    world.rebootsThatDoNotApply = 1;
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.approveReboot("alice");

    OnboardingProgress second =
        awaitThat(
            wf,
            () ->
                world.reboots.size() == 1
                    && wf.progress().status() == OnboardingStatus.WAITING_FOR_APPROVAL);
    env.sleep(Duration.ofHours(1));
    assertThat(world.reboots).as("no reboot without the second approval").hasSize(1);
    assertThat(second.waitingFor())
        .contains(
            "rds.logical_replication is still off",
            "after 1 reboot(s) of db-1",
            "approval to reboot db-1 again (reboot 2)");

    wf.approveReboot("carol");

    assertThat(result(wf).reboots()).isEqualTo(2);
    assertThat(world.reboots).hasSize(2);
    assertThat(wf.progress().step(OnboardingStep.REBOOT_AND_WAIT).message())
        .isEqualTo("logical replication on after 2 reboots");
  }

  @Test
  void aRejectedSecondApprovalEndsTheRunWithoutASecondReboot() {
    world.rebootsThatDoNotApply = 1;
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.approveReboot("alice");
    awaitThat(
        wf,
        () ->
            world.reboots.size() == 1
                && wf.progress().status() == OnboardingStatus.WAITING_FOR_APPROVAL);

    wf.rejectReboot("bob", "not today");

    ApplicationFailure f = failureOf(wf);
    assertThat(f.getType()).isEqualTo(OnboardingFailures.REBOOT_REJECTED);
    assertThat(f.getOriginalMessage()).contains("rejected by bob: not today after 1 reboot(s)");
    assertThat(world.reboots).hasSize(1);
  }

  @Test
  void immediateDoesNotRebootASecondTimeUnlessTheRequestAllowsIt() {
    world.rebootsThatDoNotApply = 1;

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(world.reboots).hasSize(1);
    assertThat(f.getType()).isEqualTo(OnboardingFailures.PARAMETER_NOT_APPLIED);
    assertThat(f.getOriginalMessage())
        .contains("after 1 reboot(s) of db-1", "allows 1 reboot(s) (maxReboots)");
  }

  @Test
  void immediateWithTwoRebootsAllowedRebootsAgain() {
    world.rebootsThatDoNotApply = 1;

    OnboardingResult result = result(start(request(RebootPolicy.IMMEDIATE).withMaxReboots(2)));

    assertThat(result.reboots()).isEqualTo(2);
  }

  @Test
  void aSecondRebootUnderMaintenanceWindowWaitsForTheNextWindow() {
    world.rebootsThatDoNotApply = 1;

    result(start(request(RebootPolicy.MAINTENANCE_WINDOW)));

    assertThat(world.reboots).hasSize(2);
    // START is Wednesday 2026-11-25: Sunday 11-29 05:00, then the next Sunday.
    assertThat(world.reboots.get(0))
        .isBetween(Instant.parse("2026-11-29T05:00:00Z"), Instant.parse("2026-11-29T05:01:00Z"));
    assertThat(world.reboots.get(1))
        .isBetween(Instant.parse("2026-12-06T05:00:00Z"), Instant.parse("2026-12-06T05:01:00Z"));
  }

  @Test
  void theWindowIsReadAgainAfterTheTimer() {
    OnboardingWorkflow wf = start(request(RebootPolicy.MAINTENANCE_WINDOW));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_MAINTENANCE_WINDOW);
    // Someone moves the window while the run sleeps towards Sunday 05:00.
    world.maintenanceWindow = "mon:03:00-mon:04:00";

    result(wf);

    assertThat(world.reboots)
        .singleElement()
        .satisfies(
            t ->
                assertThat(t)
                    .isBetween(
                        Instant.parse("2026-11-30T03:00:00Z"),
                        Instant.parse("2026-11-30T03:01:00Z")));
  }

  @Test
  void aMaintenanceWindowThatDoesNotParseIsRefusedAtPreflight() {
    world.maintenanceWindow = "sunday mornings";

    ApplicationFailure f = failureOf(start(request(RebootPolicy.MAINTENANCE_WINDOW)));

    assertThat(f.getOriginalMessage())
        .contains("maintenance window 'sunday mornings' is not in the form");
    assertThat(world.calls).doesNotContain("rds.planParameterGroup");
    assertThat(world.parameterGroup).isEqualTo("default.postgres16");
  }

  @Test
  void pendingModificationsStopTheRunBeforeAnythingChanges() {
    world.pendingModifications = List.of("DBInstanceClass=db.r6g.large");

    ApplicationFailure f = failureOf(start(request(RebootPolicy.APPROVAL)));

    assertThat(f.getType()).isEqualTo(OnboardingFailures.PENDING_MODIFICATIONS);
    assertThat(f.getOriginalMessage())
        .contains("DBInstanceClass=db.r6g.large", "--apply-pending-modifications");
    assertThat(world.calls)
        .doesNotContain("rds.planParameterGroup")
        .noneMatch(c -> c.startsWith("rds.associateParameterGroup"));
    assertThat(world.instanceClass).isEqualTo("db.t4g.micro");
    assertThat(world.parameterGroup).isEqualTo("default.postgres16");
  }

  @Test
  void pendingModificationsAreAppliedWhenTheRequestSaysSo() {
    world.pendingModifications = List.of("DBInstanceClass=db.r6g.large");

    result(start(request(RebootPolicy.IMMEDIATE).withApplyPendingModifications(true)));

    assertThat(world.instanceClass).isEqualTo("db.r6g.large");
  }

  @Test
  void applyPendingModificationsWithNoneIsAcceptedSilently() {
    OnboardingWorkflow wf =
        start(request(RebootPolicy.IMMEDIATE).withApplyPendingModifications(true));

    assertThat(result(wf).reboots()).isEqualTo(1);
    assertThat(wf.progress().step(OnboardingStep.PREFLIGHT).message()).doesNotContain("pending");
  }

  @Test
  void aCancelWaitsForTheChangeInFlightAndReportsIt() throws Exception {
    world.gateCall = "rds.associateParameterGroup";
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    // ModifyDBInstance in flight.
    OnboardingProgress p = cancelWhileInFlight(wf, world.gateEntered, world.gateRelease);
    assertThat(p.step(OnboardingStep.ASSOCIATE_AND_GATE).message())
        .startsWith("cancelled during ASSOCIATE_AND_GATE (in flight: ")
        .contains("created so far: parameter group onramp-postgres16-db-1;")
        .contains("changed: parameter group association db-1 (was default.postgres16);")
        .endsWith("found and reused: nothing");
    assertThat(world.parameterGroup).isEqualTo("onramp-postgres16-db-1");
    assertThat(world.reboots).isEmpty();
  }

  /**
   * A cancel while a step's change is in flight (the upstream objects, the ingress rule, the
   * Materialize source): the run waits for that call to finish, then stops before the next one and
   * reports exactly what it created (including what the call in flight created) and what it found
   * (a replication secret and a Materialize cluster that were there before are "found and reused",
   * never "created").
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "upstream.ensureUpstreamObjects, upstream.convergeUpstream, publication mz_source,"
        + " network.convergeIngress, UPSTREAM_OBJECTS",
    "network.convergeIngress, network.convergeIngress, ingress rule,"
        + " materialize.convergeCluster, NETWORK",
    "materialize.convergeSource, materialize.convergeSource, Materialize source shop_source,"
        + " materialize.awaitSnapshot, MATERIALIZE_OBJECTS"
  })
  void aCancelWhileAChangeIsInFlightReportsWhatWasCreatedAndWhatWasFound(
      String inFlightCall,
      String recordedAs,
      String createdByIt,
      String nextCall,
      OnboardingStep during)
      throws Exception {
    world.logicalReplicationOn = true;
    world.secrets.put("onramp/us-east-1/db-1/materialize", "there-before");
    world.materializeObjects.add("cluster onramp_ingest");
    world.gateCall = inFlightCall;
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    OnboardingProgress p = cancelWhileInFlight(wf, world.gateEntered, world.gateRelease);
    String report =
        p.steps().stream()
            .filter(s -> s.state() == StepState.CANCELLED)
            .map(StepProgress::message)
            .findFirst()
            .orElseThrow();
    // Reported where the cancel arrived, and where the run then stopped.
    assertThat(report).startsWith("cancelled during " + during + " (in flight: ");
    assertThat(report).contains("; stopped before ");
    String created =
        report.substring(
            report.indexOf("created so far: "), report.indexOf("; found and reused: "));
    String found = report.substring(report.indexOf("; found and reused: "));
    assertThat(created).contains(createdByIt);
    assertThat(found).contains("replication secret onramp/us-east-1/db-1/materialize");
    assertThat(created).doesNotContain("replication secret");
    assertThat(created).doesNotContain("cluster onramp_ingest");
    // Nothing changes after the cancel: the next step's change was never made.
    List<String> after =
        world.calls.subList(world.calls.indexOf(recordedAs) + 1, world.calls.size());
    assertThat(after).doesNotContain(nextCall);
  }

  /**
   * Cancels {@code wf} once a fake call has entered (and blocks on {@code release}), checks that
   * the run does not report while that call is in flight, lets the call finish, and returns the
   * progress of the run ended as cancelled.
   */
  private OnboardingProgress cancelWhileInFlight(
      OnboardingWorkflow wf,
      java.util.concurrent.CountDownLatch entered,
      java.util.concurrent.CountDownLatch release)
      throws Exception {
    assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    WorkflowStub.fromTyped(wf).cancel();
    Thread.sleep(500);
    // The call is still in flight: the run does not report before it has finished.
    assertThat(wf.progress().status()).isEqualTo(OnboardingStatus.RUNNING);
    release.countDown();
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    WorkflowFailedException.class, () -> result(wf))
                .getCause())
        .isInstanceOf(io.temporal.failure.CanceledFailure.class);
    OnboardingProgress p = wf.progress();
    assertThat(p.status()).isEqualTo(OnboardingStatus.CANCELLED);
    return p;
  }

  private OnboardingProgress awaitThat(OnboardingWorkflow wf, BooleanSupplier condition) {
    for (int i = 0; i < 200; i++) {
      if (condition.getAsBoolean()) {
        return wf.progress();
      }
      env.sleep(Duration.ofSeconds(30));
    }
    throw new AssertionError("condition never held: " + wf.progress());
  }

  private ApplicationFailure failureOf(OnboardingWorkflow wf) {
    try {
      WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class);
    } catch (WorkflowFailedException e) {
      assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
      return (ApplicationFailure) e.getCause();
    }
    throw new AssertionError("workflow did not fail");
  }
}
