package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * WAL safety in the onboarding: preflight's report in the progress and the result, and with {@code
 * setMaxSlotWalKeepSizeMb} one call after the reboot path that sets it in onramp's group (or only
 * recommends in someone else's). Without the field, no call at all (old histories replay).
 */
class WalSafetyStepTest extends WorkflowTestSupport {

  @Test
  void withTheFlagTheRecommendedValueIsSetInOnrampsGroupAfterTheRebootPath() {
    world.walKeepSize = "-1";
    world.allocatedStorageGib = 20;
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE).withSetMaxSlotWalKeepSizeMb(0L);
    OnboardingWorkflow wf = start(r);
    OnboardingResult result = result(wf);

    assertThat(world.calls).contains("rds.setMaxSlotWalKeepSize 2048");
    assertThat(world.calls.indexOf("rds.setMaxSlotWalKeepSize 2048"))
        .as("after the reboot, before the upstream objects")
        .isGreaterThan(world.calls.lastIndexOf("rds.checkRebooted"))
        .isLessThan(world.calls.indexOf("upstream.convergeUpstream"));
    assertThat(result.walSafety().advice())
        .contains("max_slot_wal_keep_size is -1")
        .contains("recommended 2048 MB");
    assertThat(result.walSafety().applied())
        .isEqualTo("set max_slot_wal_keep_size to 2048 MB in onramp-postgres16-db-1");
    OnboardingProgress p = wf.progress();
    assertThat(p.step(OnboardingStep.PREFLIGHT).message())
        .contains("WAL: max_slot_wal_keep_size is -1");
    assertThat(p.step(OnboardingStep.PARAMETER_GROUP).message())
        .endsWith("; set max_slot_wal_keep_size to 2048 MB in onramp-postgres16-db-1");
  }

  @Test
  void aGroupOnrampDidNotCreateOnlyGetsTheRecommendation() {
    world.parameterGroup = "custom-logical";
    world.groupSetsLogical.put("custom-logical", true);
    world.groupMembers.put("custom-logical", new HashSet<>(Set.of("db-1")));
    world.logicalReplicationOn = true;
    world.walKeepSize = "-1";
    world.allocatedStorageGib = 100;
    OnboardingResult result =
        result(start(request(RebootPolicy.IMMEDIATE).withSetMaxSlotWalKeepSizeMb(4096L)));
    assertThat(world.calls).contains("rds.setMaxSlotWalKeepSize 4096");
    assertThat(result.walSafety().applied()).contains("custom-logical is not onramp's");
    assertThat(world.walKeepSize).isEqualTo("-1");
  }

  @Test
  void thePlanReportsItAndWhatTheFlagWouldDoChangingNothing() {
    world.walKeepSize = "-1";
    world.allocatedStorageGib = 20;
    OnboardingRequest r = request(RebootPolicy.IMMEDIATE).withSetMaxSlotWalKeepSizeMb(0L);
    OnboardingPlan plan =
        client
            .newWorkflowStub(
                PlanWorkflow.class,
                io.temporal.client.WorkflowOptions.newBuilder()
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowId(OnboardingWorkflows.planWorkflowId(r, "wal"))
                    .build())
            .plan(r);
    assertThat(plan.walSafety().advice()).contains("recommended 2048 MB");
    assertThat(plan.walSafety().applied())
        .startsWith("would set max_slot_wal_keep_size to 2048 MB");
    assertThat(world.calls).noneMatch(c -> c.startsWith("rds.setMaxSlotWalKeepSize"));
  }

  @Test
  void withoutTheFlagPreflightOnlyReports() {
    world.walKeepSize = "-1";
    world.allocatedStorageGib = 20;
    OnboardingResult result = result(start(request(RebootPolicy.IMMEDIATE)));
    assertThat(world.calls).noneMatch(c -> c.startsWith("rds.setMaxSlotWalKeepSize"));
    assertThat(result.walSafety().safe()).isFalse();
    assertThat(result.walSafety().applied()).isNull();
  }
}
