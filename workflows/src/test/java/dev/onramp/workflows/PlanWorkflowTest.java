package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.ResourceKind;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code onramp plan}: preflight, then read-only calls only; the plan matches what is done. */
class PlanWorkflowTest extends WorkflowTestSupport {

  private OnboardingPlan plan(OnboardingRequest request) {
    return client
        .newWorkflowStub(
            PlanWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowId(OnboardingWorkflows.planWorkflowId(request, "test"))
                .build())
        .plan(request);
  }

  /** The world's state, as far as anything an onboarding changes. */
  private String state() {
    return String.join(
        "|",
        world.parameterGroup,
        world.groupSetsLogical.toString(),
        world.groupMembers.toString(),
        world.secrets.keySet().toString(),
        world.upstreamObjects.toString(),
        world.ingressRules.toString(),
        world.materializeObjects.toString(),
        world.schedules.toString(),
        world.reboots.toString());
  }

  @Test
  void aFreshInstanceListsEveryChangeTheOnboardingThenMakesAndThePlanChangesNothing() {
    String before = state();

    OnboardingPlan plan = plan(request(RebootPolicy.IMMEDIATE));

    assertThat(state()).isEqualTo(before);
    assertThat(world.calls)
        .noneMatch(
            c ->
                c.contains("converge")
                    || c.contains("ensure")
                    || c.contains("prepare")
                    || c.contains("associate")
                    || c.contains("authorize")
                    || c.contains("reboot"));
    assertThat(plan.rebootNeeded()).isTrue();
    assertThat(plan.rebootWhy()).contains("rds.logical_replication is off", "IMMEDIATE");
    assertThat(plan.changes())
        .extracting(PlannedChange::kind, PlannedChange::identifier, PlannedChange::action)
        .contains(
            tuple(ResourceKind.PARAMETER_GROUP, "onramp-postgres16-db-1", PlanAction.CREATE),
            tuple(ResourceKind.PARAMETER_GROUP_ASSOCIATION, "db-1", PlanAction.CHANGE));

    OnboardingResult done = result(start(request(RebootPolicy.IMMEDIATE)));

    Set<String> planned =
        plan.changes().stream()
            .filter(c -> c.action() != PlanAction.REUSE)
            .map(c -> c.kind() + " " + c.identifier())
            .collect(Collectors.toSet());
    Set<String> made =
        done.ledger().stream()
            .filter(e -> e.outcome() != Outcome.REUSED)
            .map(e -> e.kind() + " " + e.identifier())
            .collect(Collectors.toSet());
    assertThat(planned).isEqualTo(made).hasSize(12);

    // Planned again after the onboarding: nothing left to create or change, no reboot.
    OnboardingPlan again = plan(request(RebootPolicy.IMMEDIATE));
    assertThat(again.rebootNeeded()).isFalse();
    assertThat(again.changes())
        .isNotEmpty()
        .allMatch(c -> c.action() == PlanAction.REUSE, "every change a REUSE");
  }

  @Test
  void whatExistsIsPlannedAsReuse() {
    world.materializeObjects.add("cluster onramp_ingest");
    world.upstreamObjects.add("publication mz_source");
    world.logicalReplicationOn = true;

    OnboardingPlan plan = plan(request(RebootPolicy.IMMEDIATE));

    assertThat(plan.rebootNeeded()).isFalse();
    assertThat(plan.changes())
        .filteredOn(c -> c.action() == PlanAction.REUSE)
        .extracting(PlannedChange::kind)
        .containsExactlyInAnyOrder(
            ResourceKind.PARAMETER_GROUP, ResourceKind.PUBLICATION, ResourceKind.MZ_CLUSTER);
    OnboardingResult done = result(start(request(RebootPolicy.IMMEDIATE)));
    assertThat(done.ledger())
        .filteredOn(e -> e.outcome() == Outcome.REUSED)
        .extracting(LedgerEntry::kind)
        .containsExactlyInAnyOrder(
            ResourceKind.PARAMETER_GROUP, ResourceKind.PUBLICATION, ResourceKind.MZ_CLUSTER);
  }

  @Test
  void aRequestTheOnboardingWouldRefuseGetsTheSameRefusal() {
    world.engine = "mysql";

    WorkflowFailedException planned =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> plan(request(RebootPolicy.IMMEDIATE)));
    WorkflowFailedException onboarded =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> result(start(request(RebootPolicy.IMMEDIATE))));

    ApplicationFailure p = (ApplicationFailure) planned.getCause();
    ApplicationFailure o = (ApplicationFailure) onboarded.getCause();
    assertThat(p.getType()).isEqualTo(o.getType()).isEqualTo(OnboardingFailures.UNSUPPORTED_ENGINE);
    assertThat(p.getOriginalMessage()).isEqualTo(o.getOriginalMessage());
  }

  @Test
  void pendingModificationsAreRefusedAsTheOnboardingRefusesThem() {
    world.pendingModifications = List.of("DBInstanceClass=db.r6g.large");

    WorkflowFailedException planned =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> plan(request(RebootPolicy.IMMEDIATE)));

    ApplicationFailure p = (ApplicationFailure) planned.getCause();
    assertThat(p.getType()).isEqualTo(OnboardingFailures.PENDING_MODIFICATIONS);
    assertThat(world.calls).doesNotContain("rds.planParameterGroup");
  }
}
