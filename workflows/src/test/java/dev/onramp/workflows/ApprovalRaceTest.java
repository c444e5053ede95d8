package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An approval that arrives in the same workflow task as the approval deadline's timer counts as
 * given: {@code Workflow.await(timeout, condition)} reports the timeout even when the condition
 * became true in that task. Real time here (no time skipping: the test server holds its clock while
 * a workflow task is waiting for a worker), with the worker kept from polling so the timer and the
 * approval land in one task.
 */
class ApprovalRaceTest {
  private static final String QUEUE = "approval-race";

  private TestWorkflowEnvironment env;
  private Worker worker;
  private FakeWorld world;

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                // No sticky queue: every workflow task goes through the pollers we suspend.
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build())
                .build());
    for (String name : OnboardingWorkflows.SEARCH_ATTRIBUTE_NAMES) {
      env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(OnboardingWorkflowImpl.class);
    world = new FakeWorld(env);
    world.modifyDuration = Duration.ZERO;
    world.rebootDuration = Duration.ZERO;
    worker.registerActivitiesImplementations(world.activities());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aSignalInTheDeadlinesWorkflowTaskCounts() throws Exception {
    OnboardingWorkflow wf = startAndStopPollingPastTheDeadline();
    wf.rebootDecision(new RebootDecision(true, "late-larry", null, null));
    worker.resumePolling();

    assertApprovedBy(wf, "late-larry");
  }

  @Test
  void anUpdateInTheDeadlinesWorkflowTaskCounts() throws Exception {
    OnboardingWorkflow wf = startAndStopPollingPastTheDeadline();
    // The update waits for a worker to accept it, so it is sent from another thread.
    CompletableFuture<RebootDecision> update =
        CompletableFuture.supplyAsync(() -> wf.approveReboot("late-lucy"));
    Thread.sleep(1000);
    worker.resumePolling();

    assertThat(update.get(30, TimeUnit.SECONDS).approved()).isTrue();
    assertApprovedBy(wf, "late-lucy");
  }

  private OnboardingWorkflow startAndStopPollingPastTheDeadline() throws Exception {
    Duration timeout = Duration.ofSeconds(4);
    OnboardingRequest request =
        WorkflowTestSupport.request(RebootPolicy.APPROVAL)
            .withWaits(
                new WaitSettings(Duration.ofMillis(200), null, null, null, timeout).withDefaults());
    WorkflowClient client = env.getWorkflowClient();
    OnboardingWorkflow wf =
        client.newWorkflowStub(
            OnboardingWorkflow.class, OnboardingWorkflows.options(request, QUEUE));
    WorkflowClient.start(wf::onboard, request);
    while (wf.progress().status() != OnboardingStatus.WAITING_FOR_APPROVAL) {
      Thread.sleep(20);
    }
    long waitStarted = System.nanoTime();

    worker.suspendPolling();
    // Polls already waiting are used up by signals the workflow ignores (a null decision), until
    // one stays unclaimed: its workflow task is scheduled and no worker has started it.
    String id = OnboardingWorkflows.workflowId(request);
    for (int i = 0; ; i++) {
      assertThat(i).as("the worker kept claiming workflow tasks").isLessThan(100);
      wf.rebootDecision(null);
      Thread.sleep(300);
      var events = client.fetchHistory(id).getEvents();
      if (events.get(events.size() - 1).getEventType()
          == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
        break;
      }
    }
    // Past the deadline: the timer has fired, its workflow task waits for a worker.
    long left = timeout.toNanos() - (System.nanoTime() - waitStarted);
    Thread.sleep(Duration.ofNanos(Math.max(0, left)).toMillis() + 1500);
    return wf;
  }

  private void assertApprovedBy(OnboardingWorkflow wf, String approver) {
    OnboardingResult result = WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class);
    assertThat(result.reboots()).isEqualTo(1);
    assertThat(wf.progress().step(OnboardingStep.ASSOCIATE_AND_GATE).message())
        .isEqualTo("reboot approved by " + approver);
  }
}
