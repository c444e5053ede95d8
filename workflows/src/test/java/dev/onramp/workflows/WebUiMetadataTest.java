package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Web UI shows of an onboarding besides payloads: current details that read like {@code
 * onramp watch} (with how to approve while a reboot waits), and summaries on activities and timers
 * in the history, without changing the calls' options.
 */
class WebUiMetadataTest extends WorkflowTestSupport {

  @Test
  void detailsShowTheStepAndHowToApproveAndCallsAndTimersCarrySummaries() {
    OnboardingWorkflow wf = start(request(RebootPolicy.APPROVAL));
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);

    String waiting = details(wf);
    assertThat(waiting)
        .contains("**WAITING_FOR_APPROVAL** · step 4 of 11: Associate the parameter group")
        .contains("**Waiting for** approval to reboot db-1")
        .contains("onramp approve onboard/us-east-1/db-1/shop")
        .contains("**Send a Signal** named `rebootDecision`")
        .contains("{\"approved\": true, \"by\": \"your name\"}")
        .contains("| ✔ | 1. Preflight checks | DONE |")
        .contains("| ⏳ | 4. Associate the parameter group, pass the reboot gate | WAITING |")
        .contains("| · | 5. Reboot and wait for Available | PENDING |");

    wf.approveReboot("alice");
    result(wf);

    String done = details(wf);
    assertThat(done)
        .startsWith("**COMPLETED**")
        .doesNotContain("Send a Signal")
        .contains("| ✔ | 5. Reboot and wait for Available | DONE |");

    // Activities and the approval timer carry summaries, and keep their options.
    List<HistoryEvent> events =
        client
            .fetchHistory(OnboardingWorkflows.workflowId(request(RebootPolicy.APPROVAL)))
            .getEvents();
    HistoryEvent reboot = scheduled(events, "Reboot");
    assertThat(summary(reboot)).isEqualTo("reboot db-1");
    // The summary is merged over the stub's options, which stay as they were.
    assertThat(reboot.getActivityTaskScheduledEventAttributes().getScheduleToCloseTimeout())
        .isEqualTo(
            com.google.protobuf.util.Durations.fromMillis(
                OnboardingActivities.AWS_CALL_BOUND.toMillis()));
    assertThat(summary(scheduled(events, "CheckRebooted")))
        .isEqualTo("wait for db-1 to restart, parameters in-sync");
    assertThat(summary(scheduled(events, "ConvergeSource")))
        .isEqualTo("Materialize source for db-1/shop");

    HistoryEvent timer =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
            .findFirst()
            .orElseThrow();
    assertThat(summary(timer)).isEqualTo("approval deadline for rebooting db-1");
    assertThat(timer.getTimerStartedEventAttributes().getStartToFireTimeout())
        .isEqualTo(
            com.google.protobuf.util.Durations.fromMillis(
                request(RebootPolicy.APPROVAL)
                    .withDefaults()
                    .waits()
                    .approvalTimeout()
                    .toMillis()));
  }

  @Test
  void startOptionsCarryASummary() {
    assertThat(
            OnboardingWorkflows.options(request(RebootPolicy.APPROVAL), TASK_QUEUE)
                .getStaticSummary())
        .isEqualTo("onboard db-1/shop into Materialize");
    assertThat(WebUiMetadata.activitySummary("clusterUtilization", "db-1", "shop"))
        .isEqualTo("cluster utilization (db-1/shop)");
  }

  @Test
  void offboardingDetailsSayWhatWasRemovedAndHowToApproveTheRestoringReboot() {
    OffboardingProgress p =
        new OffboardingProgress(
            "db-1",
            "shop",
            OnboardingStatus.WAITING_FOR_APPROVAL,
            OffboardingPart.PARAMETER_GROUP.title(),
            "approval to reboot db-1",
            List.of(
                new dev.onramp.activities.ledger.Removal(
                    dev.onramp.activities.ledger.ResourceKind.PUBLICATION,
                    "mz_source",
                    dev.onramp.activities.ledger.RemovalOutcome.values()[0],
                    "dropped")),
            List.of(),
            null,
            START,
            START);

    assertThat(WebUiMetadata.offboardingDetails(p, "offboard/us-east-1/db-1/shop"))
        .startsWith("**WAITING_FOR_APPROVAL** · parameter group")
        .contains("**Waiting for** approval to reboot db-1")
        .contains("onramp approve offboard/us-east-1/db-1/shop")
        .contains("| publication mz_source | ");
  }

  private String details(OnboardingWorkflow wf) {
    return WorkflowStub.fromTyped(wf)
        .query("__temporal_workflow_metadata", WorkflowMetadata.class)
        .getCurrentDetails();
  }

  private static HistoryEvent scheduled(List<HistoryEvent> events, String type) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(
            e ->
                e.getActivityTaskScheduledEventAttributes()
                    .getActivityType()
                    .getName()
                    .equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " scheduled"));
  }

  private static String summary(HistoryEvent event) {
    Payload p = event.getUserMetadata().getSummary();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class);
  }
}
