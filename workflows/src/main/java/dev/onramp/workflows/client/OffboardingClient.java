package dev.onramp.workflows.client;

import dev.onramp.workflows.OffboardingProgress;
import dev.onramp.workflows.OffboardingRequest;
import dev.onramp.workflows.OffboardingResult;
import dev.onramp.workflows.OffboardingWorkflow;
import dev.onramp.workflows.OffboardingWorkflows;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the CLI and the REST API do with offboardings, on top of the Temporal client. */
public final class OffboardingClient {
  private final WorkflowClient client;
  private final String taskQueue;

  public OffboardingClient(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  /**
   * Validates, then starts, recording who asked in the memo; throws {@link
   * OnboardingClient.AlreadyRunningException} when an offboarding of the target is running.
   */
  public String start(OffboardingRequest request, String requestedBy) {
    OffboardingRequest r = OffboardingRequest.validate(request).withDefaults();
    WorkflowOptions options =
        WorkflowOptions.newBuilder(OffboardingWorkflows.options(r, taskQueue))
            .setMemo(Map.of(OnboardingClient.REQUESTED_BY, requestedBy))
            .build();
    OffboardingWorkflow wf = client.newWorkflowStub(OffboardingWorkflow.class, options);
    try {
      WorkflowClient.start(wf::offboard, r);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new AlreadyRunningException(OffboardingWorkflows.workflowId(r));
    }
    return OffboardingWorkflows.workflowId(r);
  }

  public OffboardingProgress progress(String workflowId) {
    return client.newWorkflowStub(OffboardingWorkflow.class, workflowId).progress();
  }

  /** Blocks until the run ends; {@code WorkflowFailedException} carries the failure. */
  public OffboardingResult awaitResult(String workflowId, Duration timeout) throws Exception {
    return client
        .newUntypedWorkflowStub(workflowId)
        .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, OffboardingResult.class);
  }

  public WorkflowExecutionStatus status(String workflowId) {
    return client
        .newUntypedWorkflowStub(workflowId)
        .describe()
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  public String taskQueue() {
    return taskQueue;
  }

  /** An offboarding of the target is already in progress. */
  public static final class AlreadyRunningException extends RuntimeException {
    public AlreadyRunningException(String workflowId) {
      super(
          "an offboarding of this target is already running ("
              + workflowId
              + "); let it end, then run it again if it left anything over");
    }
  }
}
