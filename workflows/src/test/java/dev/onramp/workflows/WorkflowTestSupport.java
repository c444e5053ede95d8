package dev.onramp.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A time-skipping test server with the search attributes registered and a FakeWorld worker. */
abstract class WorkflowTestSupport {
  static final String TASK_QUEUE = "onramp-test";
  // A Wednesday, so the Sunday maintenance window is days away.
  static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

  TestWorkflowEnvironment env;
  WorkflowClient client;
  FakeWorld world;

  @BeforeEach
  void startTestServer() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setInitialTimeMillis(START.toEpochMilli()).build());
    dev.onramp.workflows.OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(
        env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        OnboardingWorkflowImpl.class, VerificationWorkflowImpl.class, PlanWorkflowImpl.class);
    world = new FakeWorld(env);
    worker.registerActivitiesImplementations(world.activities());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopTestServer() {
    env.close();
  }

  static OnboardingRequest request(RebootPolicy policy) {
    return OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("orders"))
        .withRebootPolicy(policy);
  }

  OnboardingWorkflow stub(OnboardingRequest request) {
    return client.newWorkflowStub(
        OnboardingWorkflow.class, OnboardingWorkflows.options(request, TASK_QUEUE));
  }

  OnboardingWorkflow start(OnboardingRequest request) {
    OnboardingWorkflow wf = stub(request);
    WorkflowClient.start(wf::onboard, request);
    return wf;
  }

  OnboardingResult result(OnboardingWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class);
  }

  /** Lets workflow time pass (skipping) until the progress query reports {@code status}. */
  OnboardingProgress awaitStatus(OnboardingWorkflow wf, OnboardingStatus status) {
    for (int i = 0; i < 200; i++) {
      OnboardingProgress p = wf.progress();
      if (p.status() == status) {
        return p;
      }
      env.sleep(Duration.ofSeconds(30));
    }
    throw new AssertionError("never reached " + status + ": " + wf.progress());
  }

  /** Lets workflow time pass until {@code step} is WAITING. */
  OnboardingProgress awaitWaiting(OnboardingWorkflow wf, OnboardingStep step) {
    for (int i = 0; i < 200; i++) {
      OnboardingProgress p = wf.progress();
      if (p.step(step).state() == StepState.WAITING) {
        return p;
      }
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError("never waited in " + step + ": " + wf.progress());
  }
}
