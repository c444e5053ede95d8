package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import org.junit.jupiter.api.Test;

class VerificationWorkflowTest extends WorkflowTestSupport {

  private VerificationReport verify(OnboardingRequest request) {
    return client
        .newWorkflowStub(
            VerificationWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build())
        .verify(request);
  }

  @Test
  void healthyAfterOnboardingAndReportsDriftLater() {
    OnboardingRequest request = request(RebootPolicy.IMMEDIATE);
    result(start(request));

    assertThat(verify(request).findings()).isEmpty();

    world.logicalReplicationOn = false; // someone swapped the parameter group back
    world.materializeObjects.remove("source shop_source");
    VerificationReport drift = verify(request);

    assertThat(drift.healthy()).isFalse();
    assertThat(drift.findings())
        .anySatisfy(f -> assertThat(f).startsWith("logical replication is off"))
        .anySatisfy(f -> assertThat(f).contains("publication mz_source drifted"))
        .anySatisfy(f -> assertThat(f).startsWith("source shop_source is dropped"));
  }
}
