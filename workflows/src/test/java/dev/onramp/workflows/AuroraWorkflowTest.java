package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.rds.DbInstanceInfo.ClusterMembership;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/**
 * Preflight's Aurora rules (change id {@code aurora-clusters}): a writer of an Aurora PostgreSQL
 * cluster goes the whole way through the same steps and the same reboot gate; a reader and Aurora
 * MySQL are refused after the one describe, before anything changes.
 */
class AuroraWorkflowTest extends WorkflowTestSupport {

  private static ClusterMembership membership(boolean writer) {
    return new ClusterMembership(
        "orders-cluster",
        "aurora-postgresql",
        "available",
        writer,
        "orders-writer",
        "default.aurora-postgresql16",
        "in-sync");
  }

  @Test
  void aWriterIsOnboardedThroughTheSameStepsAndGate() {
    world.engine = "aurora-postgresql";
    world.cluster = membership(true);

    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    OnboardingResult result = result(wf);

    assertThat(wf.progress().status()).isEqualTo(OnboardingStatus.COMPLETED);
    assertThat(result.reboots()).isEqualTo(1);
    assertThat(world.calls)
        .containsSubsequence(
            "rds.describeInstance",
            "rds.planParameterGroup",
            "rds.reboot",
            "upstream.checkLogicalReplication",
            "materialize.convergeSource");
  }

  @Test
  void thePlanOfAWriterNamesModifyDbClusterAndTheWritersReboot() {
    world.engine = "aurora-postgresql";
    world.cluster = membership(true);
    OnboardingRequest request = request(RebootPolicy.IMMEDIATE);

    OnboardingPlan plan =
        client
            .newWorkflowStub(
                PlanWorkflow.class,
                io.temporal.client.WorkflowOptions.newBuilder()
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowId(OnboardingWorkflows.planWorkflowId(request, "test"))
                    .build())
            .plan(request);

    assertThat(plan.rebootNeeded()).isTrue();
    assertThat(plan.changes())
        .anySatisfy(
            c -> {
              assertThat(c.kind())
                  .isEqualTo(dev.onramp.activities.ledger.ResourceKind.PARAMETER_GROUP_ASSOCIATION);
              assertThat(c.why()).contains("ModifyDBCluster puts its cluster orders-cluster on");
            });
    assertThat(world.calls).noneMatch(c -> c.contains("converge") || c.equals("rds.reboot"));
  }

  @Test
  void aReaderIsRefusedNamingTheWriterBeforeAnythingChanges() {
    world.engine = "aurora-postgresql";
    world.cluster = membership(false);

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getType()).isEqualTo(OnboardingFailures.UNSUPPORTED_ENGINE);
    assertThat(f.getOriginalMessage())
        .contains("is a reader of Aurora cluster orders-cluster")
        .contains("use the writer, orders-writer")
        .contains("Nothing was changed");
    assertThat(world.calls).containsExactly("rds.describeInstance");
  }

  @Test
  void auroraMysqlIsRefusedWithTheReason() {
    world.engine = "aurora-mysql";
    world.cluster =
        new ClusterMembership(
            "shop",
            "aurora-mysql",
            "available",
            true,
            "db-1",
            "default.aurora-mysql8.0",
            "in-sync");

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getOriginalMessage())
        .contains("Aurora cluster shop with engine aurora-mysql")
        .contains("onramp onboards PostgreSQL only");
    assertThat(world.calls).containsExactly("rds.describeInstance");
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
