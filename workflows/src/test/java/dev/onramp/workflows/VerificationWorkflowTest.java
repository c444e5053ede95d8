package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class VerificationWorkflowTest extends WorkflowTestSupport {
  private int runs;

  private VerificationWorkflow stub(String id) {
    return client.newWorkflowStub(
        VerificationWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TASK_QUEUE).build());
  }

  /** The report, whether the run completed (healthy) or failed with DriftFound. */
  private VerificationReport verify(OnboardingRequest request, String id) {
    try {
      return stub(id).verify(request);
    } catch (WorkflowFailedException e) {
      ApplicationFailure drift = (ApplicationFailure) e.getCause();
      assertThat(drift.getType()).isEqualTo(VerificationWorkflowImpl.DRIFT_FOUND);
      assertThat(drift.isNonRetryable()).isTrue();
      return drift.getDetails().get(VerificationReport.class);
    }
  }

  private VerificationReport verify(OnboardingRequest request) {
    return verify(request, "verify/test/" + (++runs));
  }

  @Test
  void healthyAfterOnboardingThenEachDriftIsAFindingWithSeverityAndFix() {
    OnboardingRequest request = request(RebootPolicy.IMMEDIATE);
    result(start(request));

    VerificationReport healthy = verify(request, "verify/healthy");
    assertThat(healthy.status()).isEqualTo(VerificationStatus.HEALTHY);
    assertThat(healthy.drift()).isEmpty();
    var attributes =
        client.newUntypedWorkflowStub("verify/healthy").describe().getTypedSearchAttributes();
    assertThat(attributes.get(OnboardingWorkflows.VERIFICATION_STATUS)).isEqualTo("HEALTHY");
    assertThat(attributes.get(OnboardingWorkflows.LAST_VERIFIED_AT))
        .isEqualTo(OffsetDateTime.ofInstant(healthy.checkedAt(), java.time.ZoneOffset.UTC));

    world.logicalReplicationOn = false; // someone swapped the parameter group back
    world.materializeObjects.remove("source shop_source");
    world.ingressRules.clear();
    VerificationReport drift = verify(request, "verify/drift");

    assertThat(drift.status()).isEqualTo(VerificationStatus.CRITICAL);
    assertThat(drift.healthy()).isFalse();
    assertThat(drift.drift())
        .extracting(Finding::kind)
        .contains(ResourceKind.PARAMETER_GROUP, ResourceKind.MZ_SOURCE, ResourceKind.INGRESS_RULE);
    assertThat(drift.drift())
        .allSatisfy(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(f.fix()).isNotBlank();
            });
    assertThat(drift.findings()).allSatisfy(line -> assertThat(line).contains("; fix: "));
    assertThat(
            client
                .newUntypedWorkflowStub("verify/drift")
                .describe()
                .getTypedSearchAttributes()
                .get(OnboardingWorkflows.VERIFICATION_STATUS))
        .isEqualTo("CRITICAL");
    // Each run tells the notifier everything it found (it deduplicates across runs).
    assertThat(world.notices).hasSize(2);
    assertThat(world.notices.get(0).findings()).isEmpty();
    assertThat(world.notices.get(1).target()).isEqualTo("us-east-1/db-1/shop");
    assertThat(world.notices.get(1).findings()).isEqualTo(drift.drift());
  }

  @Test
  void anUnreachablePartIsReportedAndTheOthersAreStillChecked() {
    OnboardingRequest request = request(RebootPolicy.IMMEDIATE);
    result(start(request));
    world.upstreamUnreachable = true;
    world.materializeObjects.remove("source shop_source");

    VerificationReport report = verify(request);

    assertThat(report.status()).isEqualTo(VerificationStatus.UNREACHABLE);
    assertThat(report.drift())
        .anySatisfy(
            f -> {
              assertThat(f.problem()).contains("could not check").contains("Connection refused");
              assertThat(f.fix()).contains("the upstream database");
            })
        .anySatisfy(f -> assertThat(f.kind()).isEqualTo(ResourceKind.MZ_SOURCE));
  }

  @Test
  void aRunThatFoundDriftFailsSoItIsNotGreen() {
    OnboardingRequest request = request(RebootPolicy.IMMEDIATE);
    result(start(request));
    world.materializeObjects.remove("source shop_source");

    assertThatThrownBy(() -> stub("verify/red").verify(request))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getType())
                    .isEqualTo(VerificationWorkflowImpl.DRIFT_FOUND));
    assertThat(
            client
                .newUntypedWorkflowStub("verify/red")
                .describe()
                .getWorkflowExecutionInfo()
                .getStatus()
                .name())
        .isEqualTo("WORKFLOW_EXECUTION_STATUS_FAILED");
  }
}
