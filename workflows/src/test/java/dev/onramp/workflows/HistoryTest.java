package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the workflow leaves in history: its size, its replayability, and no secret values. Recorded
 * histories are replayed by {@link ReplayCorpusTest} and recorded by {@link HistoryRecorder}.
 */
class HistoryTest extends WorkflowTestSupport {
  private WorkflowExecutionHistory run(Duration rebootTakes) {
    world.rebootDuration = rebootTakes;
    OnboardingRequest request =
        request(RebootPolicy.IMMEDIATE)
            .withWaits(
                new WaitSettings(null, Duration.ofHours(12), null, null, null).withDefaults());
    result(start(request));
    return client.fetchHistory(OnboardingWorkflows.workflowId(request));
  }

  @Test
  void historyLengthDoesNotDependOnHowLongTheRebootTakes() {
    List<String> fiveMinutes = decisions(run(Duration.ofMinutes(5)));
    long checksFiveMinutes = world.calls.stream().filter("rds.checkRebooted"::equals).count();
    stopTestServer();
    startTestServer();
    List<String> fiveHours = decisions(run(Duration.ofHours(5)));
    long checksFiveHours = world.calls.stream().filter("rds.checkRebooted"::equals).count();

    // The long wait really polled hundreds of times; none of it reached history.
    assertThat(checksFiveHours).isGreaterThan(50 * checksFiveMinutes);
    assertThat(fiveHours).isEqualTo(fiveMinutes);
  }

  /**
   * The history's events but the attempts of workflow tasks that timed out or failed: on a loaded
   * machine a workflow task can miss its 10 s timeout and be retried (three more events), which
   * says nothing about the workflow. Each completed task, activity, timer and marker counts.
   */
  private static List<String> decisions(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .map(e -> e.getEventType().name())
        .filter(
            t ->
                !t.equals("EVENT_TYPE_WORKFLOW_TASK_SCHEDULED")
                    && !t.equals("EVENT_TYPE_WORKFLOW_TASK_STARTED")
                    && !t.equals("EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT")
                    && !t.equals("EVENT_TYPE_WORKFLOW_TASK_FAILED"))
        .toList();
  }

  @Test
  void noSecretValueAppearsInHistory() {
    String json = PayloadText.decoded(run(Duration.ofMinutes(5)).toJson(true));

    assertThat(world.replicationPassword()).isNotBlank();
    assertThat(json).doesNotContain(world.replicationPassword());
    assertThat(json).doesNotContain(world.adminPassword);
    // The references are there: that is how activities find the values.
    assertThat(json).contains("onramp/us-east-1/db-1/materialize");
  }

  @Test
  void aPollThatRunsOutOfTimeSaysWhatItWaitedFor() {
    world.rebootDuration = Duration.ofHours(5);
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE)); // waits at most 3 hours

    io.temporal.client.WorkflowFailedException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.temporal.client.WorkflowFailedException.class, () -> result(wf));

    assertThat(e.getCause())
        .hasMessageContaining("Reboot and wait for Available: gave up after 3h")
        .hasMessageContaining("last check said: instance db-1 is rebooting");
    // The step list shows the step's title beside its message: the message does not repeat it.
    StepProgress reboot = wf.progress().step(OnboardingStep.REBOOT_AND_WAIT);
    assertThat(reboot.state()).isEqualTo(StepState.FAILED);
    assertThat(reboot.message())
        .startsWith("gave up after 3h")
        .doesNotContain(OnboardingStep.REBOOT_AND_WAIT.title());
  }

  @Test
  void freshHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        run(Duration.ofMinutes(5)), OnboardingWorkflowImpl.class);
  }
}
