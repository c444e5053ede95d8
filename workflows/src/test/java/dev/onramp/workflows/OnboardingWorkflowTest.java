package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.activities.rds.ParameterGroupPlan;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OnboardingWorkflowTest extends WorkflowTestSupport {

  @Test
  void logicalReplicationAlreadyOnSkipsParameterGroupAndReboot() {
    world.parameterGroup = "custom-logical";
    world.groupSetsLogical.put("custom-logical", true);
    world.groupMembers.put("custom-logical", new HashSet<>(Set.of("db-1")));
    world.logicalReplicationOn = true;

    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    OnboardingResult result = result(wf);

    assertThat(result.reboots()).isZero();
    assertThat(result.parameterGroup()).isEqualTo("custom-logical");
    OnboardingProgress p = wf.progress();
    assertThat(p.status()).isEqualTo(OnboardingStatus.COMPLETED);
    for (OnboardingStep skipped :
        List.of(
            OnboardingStep.PARAMETER_GROUP,
            OnboardingStep.ASSOCIATE_AND_GATE,
            OnboardingStep.REBOOT_AND_WAIT)) {
      assertThat(p.step(skipped).state()).isEqualTo(StepState.SKIPPED);
    }
    assertThat(world.calls)
        .doesNotContain("rds.planParameterGroup", "rds.reboot")
        .contains("upstream.convergeUpstream", "materialize.convergeSource");
    assertThat(p.step(OnboardingStep.SNAPSHOT).state()).isEqualTo(StepState.DONE);
  }

  @Test
  void defaultGroupGetsANewGroupAssociatedAndRebooted() {
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    OnboardingResult result = result(wf);

    assertThat(world.calls)
        .containsSubsequence(
            "rds.planParameterGroup",
            "rds.convergeParameterGroup:CREATE",
            "rds.convergeAssociation:onramp-postgres16-db-1",
            "rds.reboot",
            "upstream.checkLogicalReplication");
    assertThat(world.parameterGroup).isEqualTo("onramp-postgres16-db-1");
    assertThat(world.groupSetsLogical.get("default.postgres16")).isFalse();
    assertThat(world.reboots).hasSize(1);
    assertThat(result.reboots()).isEqualTo(1);
    assertThat(result.createdResources())
        .contains(
            "parameter group onramp-postgres16-db-1",
            "publication mz_source",
            "replication role materialize",
            "Materialize source shop_source",
            "ingress rule sg-1 tcp/5432 from 203.0.113.10/32");
    assertThat(wf.progress().steps()).allMatch(s -> s.state() == StepState.DONE);
  }

  @Test
  void sharedCustomGroupIsCopiedNotModified() {
    world.parameterGroup = "team-pg16";
    world.groupSetsLogical.put("team-pg16", false);
    world.groupMembers.put("team-pg16", new HashSet<>(Set.of("db-1", "db-2")));

    result(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(world.calls).contains("rds.convergeParameterGroup:COPY");
    assertThat(world.groupSetsLogical.get("team-pg16")).isFalse();
    assertThat(world.groupMembers.get("team-pg16")).containsExactly("db-2");
    assertThat(world.parameterGroup).isEqualTo("onramp-postgres16-db-1");
  }

  @Test
  void approvalApprovedRebootsAndCompletes() {
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    OnboardingProgress waiting = awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    assertThat(waiting.waitingFor()).contains("approval to reboot db-1");
    assertThat(world.reboots).isEmpty();

    RebootDecision decision = wf.approveReboot("alice");

    assertThat(decision.approved()).isTrue();
    assertThat(result(wf).reboots()).isEqualTo(1);
    assertThat(wf.progress().step(OnboardingStep.ASSOCIATE_AND_GATE).message())
        .isEqualTo(
            "reboot approved by alice"); // One message for the pending approval, with the commands
    // to act.
    assertThat(world.personNotices)
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.text())
                    .contains("approval pending to reboot db-1")
                    .contains("approve: onramp approve onboard/us-east-1/db-1/shop")
                    .contains("reject:  onramp reject onboard/us-east-1/db-1/shop"));
  }

  @Test
  void approvalRejectedFailsWithoutRebooting() {
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);

    wf.rejectReboot("bob", "peak hours");

    assertThat(failureOf(wf))
        .satisfies(f -> assertThat(f.getType()).isEqualTo(OnboardingFailures.REBOOT_REJECTED))
        .satisfies(
            f ->
                assertThat(f.getOriginalMessage())
                    .contains("rejected by bob: peak hours", "onramp-postgres16-db-1"));
    assertThat(world.reboots).isEmpty();
    assertThat(wf.progress().status())
        .isEqualTo(OnboardingStatus.FAILED); // The pending approval, then the failure.
    assertThat(world.personNotices).hasSize(2);
    assertThat(world.personNotices.get(1).text())
        .contains("onboarding onboard/us-east-1/db-1/shop failed")
        .contains("rejected by bob: peak hours");
  }

  @Test
  void approvalPastItsDeadlineFailsWithAClearMessage() {
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));

    ApplicationFailure f = failureOf(wf);

    assertThat(f.getType()).isEqualTo(OnboardingFailures.APPROVAL_TIMED_OUT);
    assertThat(f.getOriginalMessage()).contains("no one approved the reboot of db-1 within 24h");
    assertThat(world.reboots).isEmpty();
  }

  @Test
  void approvalIsRefusedWhenNoneIsPending() {
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    env.sleep(Duration.ofSeconds(1));
    // Still associating (the modify takes two minutes): nothing to approve yet.
    assertThat(wf.progress().status()).isEqualTo(OnboardingStatus.RUNNING);

    assertThatThrownBy(() -> wf.approveReboot("mallory"))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("no reboot approval is pending for db-1");

    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    wf.approveReboot("alice");
    result(wf);
    assertThatThrownBy(() -> wf.approveReboot("alice")).isInstanceOf(Exception.class);
  }

  @Test
  void aSignalApprovesOnlyWhileAnApprovalIsPending() {
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    env.sleep(Duration.ofSeconds(1));
    wf.rebootDecision(new RebootDecision(true, "early-bird", null, null)); // too early: ignored
    OnboardingProgress waiting = awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    assertThat(waiting.status()).isEqualTo(OnboardingStatus.WAITING_FOR_APPROVAL);
    assertThat(world.reboots).isEmpty();

    wf.rebootDecision(new RebootDecision(true, "", null, null));

    assertThat(result(wf).reboots()).isEqualTo(1);
    assertThat(wf.progress().step(OnboardingStep.ASSOCIATE_AND_GATE).message())
        .isEqualTo("reboot approved by web-ui");
  }

  @Test
  void maintenanceWindowWaitsOnADurableTimer() {
    OnboardingWorkflow wf = start(request(RebootPolicy.MAINTENANCE_WINDOW));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_MAINTENANCE_WINDOW);
    assertThat(wf.progress().waitingFor()).contains("sun:05:00-sun:06:00");
    assertThat(world.reboots).isEmpty();

    result(wf);

    assertThat(world.reboots).hasSize(1);
    Instant reboot = world.reboots.get(0);
    // START is Wednesday 2026-11-25; the next window opens Sunday 2026-11-29 05:00 UTC.
    assertThat(reboot)
        .isBetween(Instant.parse("2026-11-29T05:00:00Z"), Instant.parse("2026-11-29T05:01:00Z"));
    assertThat(reboot.atZone(ZoneOffset.UTC).getDayOfWeek().name()).isEqualTo("SUNDAY");
  }

  @Test
  void parameterStillOffAfterTheAllowedRebootsFailsWithADiagnosis() {
    world.rebootAppliesParameters = false;

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE).withMaxReboots(2)));

    assertThat(world.reboots).hasSize(2);
    assertThat(f.getType()).isEqualTo(OnboardingFailures.PARAMETER_NOT_APPLIED);
    assertThat(f.getOriginalMessage())
        .contains(
            "rds.logical_replication is still off",
            "after 2 reboot(s) of db-1",
            "parameter group onramp-postgres16-db-1 is pending-reboot",
            "allows 2 reboot(s) (maxReboots)");
  }

  static Stream<Arguments> outsideSystemErrors() {
    return Stream.of(
        Arguments.of(
            "rds.describeInstance",
            OnboardingFailures.INSTANCE_NOT_FOUND,
            "DB instance db-1 not found in us-east-1; check the identifier and region"),
        Arguments.of(
            "secrets.checkReadable",
            OnboardingFailures.PERMISSION_DENIED,
            "not authorized to perform secretsmanager:GetSecretValue on rds!db-1"),
        Arguments.of(
            "upstream.preflight",
            OnboardingFailures.TABLE_NOT_FOUND,
            "table public.orders does not exist in database shop"),
        Arguments.of(
            "network.convergeIngress",
            OnboardingFailures.SECURITY_GROUP,
            "security group sg-1 does not exist"),
        Arguments.of(
            "materialize.convergeConnection",
            OnboardingFailures.MATERIALIZE,
            "server must have wal_level >= logical, but has replica"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outsideSystemErrors")
  void nonRetryableErrorsSurfaceTheirMessage(String call, String type, String message) {
    world.failures.put(call, OnboardingFailures.nonRetryable(type, message));

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getType()).isEqualTo(type);
    assertThat(f.getOriginalMessage()).contains(message);
    assertThat(world.calls.stream().filter(call::equals)).hasSize(1); // not retried
  }

  @Test
  void nonPostgresEngineIsRefusedBeforeAnythingChanges() {
    world.engine = "mysql";

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getType()).isEqualTo(OnboardingFailures.UNSUPPORTED_ENGINE);
    assertThat(f.getOriginalMessage())
        .isEqualTo(
            "instance db-1 uses engine mysql; onramp onboards PostgreSQL only (RDS for PostgreSQL"
                + " or Aurora PostgreSQL). Nothing was changed");
    assertThat(world.calls).containsExactly("rds.describeInstance");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "secrets.checkReplicationSecret",
        "upstream.checkUpstreamOwnership",
        "materialize.checkMaterializeOwnership"
      })
  void aForeignObjectIsRefusedInPreflightBeforeAnythingChanges(String check) {
    world.failures.put(
        check,
        OnboardingFailures.nonRetryable(
            OnboardingFailures.FOREIGN_OBJECT, "role materialize was not created by onramp"));

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getType()).isEqualTo(OnboardingFailures.FOREIGN_OBJECT);
    assertThat(f.getOriginalMessage())
        .startsWith("Preflight")
        .contains("role materialize was not created by onramp");
    // The check ran once, last: no parameter group, secret, role, rule or Materialize object.
    assertThat(world.calls).endsWith(check).containsOnlyOnce(check);
    assertThat(world.calls)
        .noneMatch(
            c ->
                c.contains("ensure")
                    || c.contains("prepare")
                    || c.contains("authorize")
                    || c.contains("converge"));
  }

  @Test
  void cancellationDuringTheRebootWaitReportsWhatWasCreated() {
    world.rebootDuration = Duration.ofHours(5);
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    awaitWaiting(wf, OnboardingStep.REBOOT_AND_WAIT);

    WorkflowStub.fromTyped(wf).cancel();

    WorkflowFailedException e =
        catchThrowableOfType(WorkflowFailedException.class, () -> result(wf));
    assertThat(e.getCause()).isInstanceOf(CanceledFailure.class);
    OnboardingProgress p = wf.progress();
    assertThat(p.status()).isEqualTo(OnboardingStatus.CANCELLED);
    assertThat(p.step(OnboardingStep.REBOOT_AND_WAIT).state()).isEqualTo(StepState.CANCELLED);
    assertThat(p.step(OnboardingStep.REBOOT_AND_WAIT).message())
        .isEqualTo(
            "cancelled during REBOOT_AND_WAIT (in flight: waiting for db-1 to restart and"
                + " onramp-postgres16-db-1 to be in-sync (checking every 30s, at most 3h)); created"
                + " so far: parameter group onramp-postgres16-db-1; changed: parameter group"
                + " association db-1 (was default.postgres16); found and reused: nothing");
    assertThat(p.createdResources()).containsExactly("parameter group onramp-postgres16-db-1");
    assertThat(world.calls).doesNotContain("upstream.convergeUpstream");
  }

  @Test
  void aTableLockHeldUpstreamShowsInTheProgressAndIsRetriedUntilReleased() {
    world.logicalReplicationOn = true;
    world.upstreamLockHeldUntil = world.env.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));

    OnboardingProgress waiting = awaitWaiting(wf, OnboardingStep.UPSTREAM_OBJECTS);
    assertThat(waiting.step(OnboardingStep.UPSTREAM_OBJECTS).message())
        .startsWith("waiting for a lock on public.orders");

    OnboardingResult result = result(wf);
    assertThat(result.publication()).isNotNull();
    assertThat(world.calls.stream().filter("upstream.ensureUpstreamObjects"::equals).count())
        .isGreaterThan(1);
  }

  @Test
  void aFallbackFromForAllTablesIsSaidInTheProgress() {
    world.logicalReplicationOn = true;
    world.upstreamNote =
        "the server refused CREATE PUBLICATION mz_source FOR ALL TABLES (must be superuser);"
            + " published the 2 table(s) that exist now instead";
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    result(wf);
    assertThat(wf.progress().step(OnboardingStep.UPSTREAM_OBJECTS).message())
        .endsWith("; note: " + world.upstreamNote);
  }

  @Test
  void aReRunWithReverificationTurnedOffDeletesTheEarlierSchedule() {
    world.logicalReplicationOn = true;
    result(start(request(RebootPolicy.IMMEDIATE)));
    assertThat(world.schedules).containsExactly("verify/us-east-1/db-1/shop");

    OnboardingWorkflow again =
        start(request(RebootPolicy.IMMEDIATE).withReverifyEvery(Duration.ZERO));
    result(again);

    assertThat(world.schedules).isEmpty();
    assertThat(again.progress().step(OnboardingStep.REVERIFICATION).message())
        .isEqualTo("re-verification turned off; deleted the earlier schedule");
  }

  @Test
  void invalidRequestIsRefusedByTheWorkflowToo() {
    OnboardingRequest bad =
        OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("x; drop"));

    ApplicationFailure f = failureOf(start(bad));

    assertThat(f.getType()).isEqualTo(OnboardingFailures.INVALID_REQUEST);
    assertThat(f.getOriginalMessage()).contains("tables.names[0]");
    assertThat(world.calls).isEmpty();
  }

  @Test
  void secondConcurrentRunForTheSameTargetIsRefused() {
    OnboardingWorkflow first = start(request(RebootPolicy.APPROVAL));
    awaitStatus(first, OnboardingStatus.WAITING_FOR_APPROVAL);

    assertThatThrownBy(() -> start(request(RebootPolicy.APPROVAL)))
        .hasMessageContaining("onboard/us-east-1/db-1/shop");
  }

  @Test
  void planActionsAreAllExercised() {
    // Guard: the fake's plan must cover every action the workflow branches on.
    assertThat(ParameterGroupPlan.Action.values()).hasSize(4);
  }

  private ApplicationFailure failureOf(OnboardingWorkflow wf) {
    try {
      result(wf);
    } catch (WorkflowFailedException e) {
      assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
      return (ApplicationFailure) e.getCause();
    }
    throw new AssertionError("workflow did not fail");
  }
}
