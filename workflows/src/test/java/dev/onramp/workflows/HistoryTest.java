package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

  /**
   * Issue 15's target: an onboarding's history is the same for a 1-minute and a 1-hour reboot, and
   * at most 150 events ({@code lean-history}: the read-only calls as local activities).
   */
  @Test
  void historyLengthDoesNotDependOnHowLongTheRebootTakesAndStaysWithin150Events() {
    WorkflowExecutionHistory oneMinute = run(Duration.ofMinutes(1));
    long checksOneMinute = world.calls.stream().filter("rds.checkRebooted"::equals).count();
    stopTestServer();
    startTestServer();
    WorkflowExecutionHistory oneHour = run(Duration.ofHours(1));
    long checksOneHour = world.calls.stream().filter("rds.checkRebooted"::equals).count();

    // The long wait really polled over a hundred times; none of it reached history.
    assertThat(checksOneHour).isGreaterThan(30 * checksOneMinute);
    assertThat(decisions(oneHour)).isEqualTo(decisions(oneMinute));
    assertThat(eventsButRetriedTasks(oneMinute)).isLessThanOrEqualTo(150);
    assertThat(eventsButRetriedTasks(oneHour)).isEqualTo(eventsButRetriedTasks(oneMinute));
    // The reads are local activities (a marker each); the changes and the polls are not.
    assertThat(localActivityTypes(oneMinute))
        .contains("DescribeInstance", "CheckReadable", "Preflight", "CheckPlan")
        .contains("CheckReplicationSecret", "ClusterUtilization")
        .doesNotContain("CheckRebooted", "CheckAssociated", "Reboot", "ConvergeUpstream");
    assertThat(activityTypes(oneMinute))
        .contains("CheckRebooted", "Reboot", "ConvergeUpstream", "AwaitSnapshot")
        .doesNotContain("DescribeInstance", "CheckReadable", "CheckPlan", "ClusterUtilization");
  }

  /** Events but the three of each workflow task attempt that timed out or failed (see below). */
  private static long eventsButRetriedTasks(WorkflowExecutionHistory history) {
    long retried =
        history.getEvents().stream()
            .filter(
                e ->
                    e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT
                        || e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
            .count();
    return history.getEvents().size() - 3 * retried;
  }

  private static List<String> activityTypes(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  /** The activity types of the run's local-activity markers. */
  static List<String> localActivityTypes(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasMarkerRecordedEventAttributes)
        .map(HistoryEvent::getMarkerRecordedEventAttributes)
        .filter(m -> m.getMarkerName().equals("LocalActivity"))
        .map(
            m ->
                DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                    0, Optional.of(m.getDetailsOrThrow("type")), String.class, String.class))
        .toList();
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

  /**
   * The local activities' markers carry their results (replay needs them) but not their arguments;
   * the secret checks' results are empty, and the secret scan above reads the markers too.
   */
  @Test
  void localActivityMarkersCarryResultsButNoArguments() {
    WorkflowExecutionHistory history = run(Duration.ofMinutes(1));
    List<io.temporal.api.history.v1.MarkerRecordedEventAttributes> markers =
        history.getEvents().stream()
            .filter(HistoryEvent::hasMarkerRecordedEventAttributes)
            .map(HistoryEvent::getMarkerRecordedEventAttributes)
            .filter(m -> m.getMarkerName().equals("LocalActivity"))
            .toList();

    assertThat(markers).hasSizeGreaterThanOrEqualTo(9);
    assertThat(markers).allSatisfy(m -> assertThat(m.getDetailsMap()).doesNotContainKey("input"));
    String json = PayloadText.decoded(history.toJson(true));
    assertThat(json).doesNotContain(world.adminPassword);
    assertThat(json).doesNotContain(world.replicationPassword());
  }

  /**
   * A local read that fails transiently is not retried inside the workflow task (which would keep
   * the task open and every progress query waiting): the same call goes to the ordinary activity,
   * whose retries are the server's, and the run goes on once the error clears. Running out of the
   * bound is {@link LocalReadsTest}'s.
   */
  @Test
  void aTransientErrorInALocalReadGoesToTheOrdinaryCall() throws Exception {
    world.failures.put(
        "materialize.checkPlan",
        ApplicationFailure.newFailure(
            "cannot reach Materialize: connection refused", OnboardingFailures.NOT_REACHABLE));
    OnboardingRequest request =
        request(RebootPolicy.IMMEDIATE)
            .withWaits(
                new WaitSettings(null, Duration.ofHours(12), null, null, null).withDefaults());
    OnboardingWorkflow wf = start(request);
    for (int i = 0; i < 200 && checkPlans() < 2; i++) {
      Thread.sleep(50);
    }
    // The run answers its progress query while the read is failing.
    assertThat(wf.progress().currentStep()).isEqualTo(OnboardingStep.PREFLIGHT);
    world.failures.clear();

    assertThat(result(wf).dbInstanceId()).isEqualTo("db-1");
    assertThat(checkPlans()).isGreaterThanOrEqualTo(2);
    WorkflowExecutionHistory history = client.fetchHistory(OnboardingWorkflows.workflowId(request));
    assertThat(localActivityTypes(history)).containsOnlyOnce("CheckPlan");
    assertThat(
            history.getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()))
        .containsOnlyOnce("CheckPlan");
  }

  private long checkPlans() {
    synchronized (world) {
      return world.calls.stream().filter("materialize.checkPlan"::equals).count();
    }
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
