package dev.onramp.workflows.client;

import dev.onramp.workflows.FleetProgress;
import dev.onramp.workflows.FleetRequest;
import dev.onramp.workflows.FleetResult;
import dev.onramp.workflows.FleetValidator;
import dev.onramp.workflows.FleetWorkflow;
import dev.onramp.workflows.FleetWorkflows;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the CLI and the REST API do with fleets: validate and start, query, pause, resume. */
public final class FleetClient {
  private final WorkflowClient client;
  private final String taskQueue;

  public FleetClient(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  /**
   * Validates (every problem named, nothing started on any), then starts the fleet; throws {@link
   * AlreadyRunningException} when a fleet of that name is running.
   */
  public String start(FleetRequest request, String requestedBy) {
    FleetRequest r = FleetValidator.validate(request);
    WorkflowOptions options =
        WorkflowOptions.newBuilder(FleetWorkflows.options(r, taskQueue))
            .setMemo(Map.of(OnboardingClient.REQUESTED_BY, requestedBy))
            .build();
    FleetWorkflow wf = client.newWorkflowStub(FleetWorkflow.class, options);
    try {
      WorkflowClient.start(wf::run, r, null);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new AlreadyRunningException(FleetWorkflows.workflowId(r.name()));
    }
    return FleetWorkflows.workflowId(r.name());
  }

  public FleetProgress progress(String fleetId) {
    return stub(fleetId).progress();
  }

  public void pause(String fleetId) {
    stub(fleetId).pause();
  }

  public void resume(String fleetId) {
    stub(fleetId).resume();
  }

  /** Blocks until the fleet ends (following its continue-as-new runs). */
  public FleetResult awaitResult(String fleetId, Duration timeout) throws Exception {
    return client
        .newUntypedWorkflowStub(fleetId)
        .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, FleetResult.class);
  }

  private FleetWorkflow stub(String fleetId) {
    return client.newWorkflowStub(FleetWorkflow.class, fleetId);
  }

  /** A fleet of that name is running. */
  public static final class AlreadyRunningException extends RuntimeException {
    public AlreadyRunningException(String fleetId) {
      super(
          "fleet "
              + fleetId
              + " is already running; follow it with GET /fleets/<name>, or give this fleet"
              + " another name");
    }
  }
}
