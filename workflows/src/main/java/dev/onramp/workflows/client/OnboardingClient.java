package dev.onramp.workflows.client;

import dev.onramp.workflows.NetworkConfirmed;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingWorkflow;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.RebootDecision;
import dev.onramp.workflows.RequestValidator;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the CLI and the REST API do with onboardings, on top of the Temporal client: one thin place
 * so both behave alike.
 */
public final class OnboardingClient {
  private final WorkflowClient client;
  private final String taskQueue;

  public OnboardingClient(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  /** Memo key: who started the onboarding (an API token's name, or the CLI's OS user). */
  public static final String REQUESTED_BY = "requestedBy";

  /**
   * Validates, then starts, recording {@code requestedBy} in the workflow's memo (encrypted like
   * every payload when a codec key is set); throws {@link AlreadyRunningException} when one is
   * running.
   */
  public String start(OnboardingRequest request, String requestedBy) {
    OnboardingRequest r = RequestValidator.validate(request).withDefaults();
    io.temporal.client.WorkflowOptions options =
        io.temporal.client.WorkflowOptions.newBuilder(OnboardingWorkflows.options(r, taskQueue))
            .setMemo(java.util.Map.of(REQUESTED_BY, requestedBy))
            .build();
    OnboardingWorkflow wf = client.newWorkflowStub(OnboardingWorkflow.class, options);
    try {
      WorkflowClient.start(wf::onboard, r);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new AlreadyRunningException(OnboardingWorkflows.workflowId(r));
    }
    return OnboardingWorkflows.workflowId(r);
  }

  /**
   * Plans the request's onboarding (validated as {@link #start} does) and waits for the plan;
   * {@code WorkflowFailedException} carries a refusal, worded as the onboarding's would be.
   */
  public dev.onramp.workflows.OnboardingPlan plan(OnboardingRequest request, Duration timeout) {
    OnboardingRequest r = RequestValidator.validate(request).withDefaults();
    dev.onramp.workflows.PlanWorkflow wf =
        client.newWorkflowStub(
            dev.onramp.workflows.PlanWorkflow.class,
            io.temporal.client.WorkflowOptions.newBuilder()
                .setWorkflowId(
                    OnboardingWorkflows.planWorkflowId(r, java.util.UUID.randomUUID().toString()))
                .setTaskQueue(taskQueue)
                .setWorkflowExecutionTimeout(timeout)
                .build());
    return wf.plan(r);
  }

  /** Whether any worker has polled the task queue lately (Temporal keeps pollers ~5 minutes). */
  public boolean workerPolling() {
    io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse response;
    try {
      response =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeTaskQueue(
                  io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setTaskQueue(
                          io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(taskQueue))
                      .setTaskQueueType(
                          io.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                      .build());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
        return true; // the SDK's test server cannot tell; assume the best
      }
      throw e;
    }
    return response.getPollersCount() > 0;
  }

  /** Starts as the OS user running this process (the CLI). */
  public String start(OnboardingRequest request) {
    return start(request, System.getProperty("user.name", "unknown"));
  }

  /** Who started the onboarding, from its memo; null for runs started before it was recorded. */
  public String requestedBy(String workflowId) {
    return (String)
        client.newUntypedWorkflowStub(workflowId).describe().getMemo(REQUESTED_BY, String.class);
  }

  public String taskQueue() {
    return taskQueue;
  }

  public OnboardingProgress progress(String workflowId) {
    return stub(workflowId).progress();
  }

  public RebootDecision approve(String workflowId, String approver) {
    return stub(workflowId).approveReboot(approver);
  }

  public RebootDecision reject(String workflowId, String approver, String reason) {
    return stub(workflowId).rejectReboot(approver, reason);
  }

  /** Confirms the pending network path (network modes SSH_BASTION, PRIVATELINK_SERVICE). */
  public NetworkConfirmed confirmNetwork(String workflowId, String by) {
    return stub(workflowId).confirmNetwork(by);
  }

  public void cancel(String workflowId) {
    client.newUntypedWorkflowStub(workflowId).cancel();
  }

  /** Blocks until the run ends; {@code WorkflowFailedException} carries the failure. */
  public OnboardingResult awaitResult(String workflowId, Duration timeout) throws Exception {
    return client
        .newUntypedWorkflowStub(workflowId)
        .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, OnboardingResult.class);
  }

  /** The request an onboarding was started with, read back from its history. */
  public OnboardingRequest requestOf(String workflowId) {
    return requestIn(client.fetchHistory(workflowId));
  }

  /**
   * The request of the target's last onboarding that completed: what is onboarded. A later run that
   * failed (refused in preflight, say) or still runs does not change that. The latest run's request
   * when none completed.
   */
  public OnboardingRequest onboardedRequestOf(String workflowId) {
    var latest = client.newUntypedWorkflowStub(workflowId).describe();
    if (latest.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return requestOf(workflowId);
    }
    OnboardingRequest latestRequest = requestOf(workflowId);
    // Listed by type and instance (plain keywords) and filtered here by id: a database name may
    // hold any character, which a visibility query would have to escape.
    String query =
        "WorkflowType = 'OnboardingWorkflow' AND ExecutionStatus = 'Completed' AND "
            + OnboardingWorkflows.DB_INSTANCE.getName()
            + " = '"
            + latestRequest.dbInstanceId()
            + "'";
    return client
        .listExecutions(query)
        .filter(e -> e.getExecution().getWorkflowId().equals(workflowId))
        .max(java.util.Comparator.comparing(e -> e.getStartTime()))
        .map(e -> requestIn(client.fetchHistory(workflowId, e.getExecution().getRunId())))
        .orElse(latestRequest);
  }

  private OnboardingRequest requestIn(io.temporal.common.WorkflowExecutionHistory history) {
    var started =
        history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getInput();
    return client
        .getOptions()
        .getDataConverter()
        .fromPayloads(
            0, java.util.Optional.of(started), OnboardingRequest.class, OnboardingRequest.class);
  }

  /**
   * Runs the re-verification of an onboarded target once, now, and returns its report (the schedule
   * runs the same workflow periodically).
   */
  public dev.onramp.workflows.VerificationReport verifyNow(String onboardingWorkflowId) {
    // What the schedule checks (table changes keep it current), else what was onboarded.
    OnboardingRequest request =
        new ReverificationSchedules(client)
            .request(ReverificationSchedules.scheduleId(onboardingWorkflowId))
            .orElseGet(() -> onboardedRequestOf(onboardingWorkflowId));
    dev.onramp.workflows.VerificationWorkflow wf =
        client.newWorkflowStub(
            dev.onramp.workflows.VerificationWorkflow.class,
            io.temporal.client.WorkflowOptions.newBuilder()
                .setWorkflowId(
                    onboardingWorkflowId.replaceFirst("^onboard/", "verify/")
                        + "/now-"
                        + java.util.UUID.randomUUID())
                .setTaskQueue(taskQueue)
                .setStaticSummary(dev.onramp.workflows.WebUiMetadata.verificationSummary(request))
                .setWorkflowExecutionTimeout(Duration.ofMinutes(10))
                .build());
    try {
      return wf.verify(request);
    } catch (io.temporal.client.WorkflowFailedException e) {
      return driftReport(e).orElseThrow(() -> e);
    }
  }

  /** The report a verification run that found drift failed with (type DriftFound). */
  public static java.util.Optional<dev.onramp.workflows.VerificationReport> driftReport(
      io.temporal.client.WorkflowFailedException e) {
    if (e.getCause() instanceof io.temporal.failure.ApplicationFailure app
        && dev.onramp.workflows.VerificationWorkflowImpl.DRIFT_FOUND.equals(app.getType())) {
      return java.util.Optional.of(
          app.getDetails().get(dev.onramp.workflows.VerificationReport.class));
    }
    return java.util.Optional.empty();
  }

  /**
   * The ledger of the target's last onboarding: its result's when it completed, otherwise what the
   * progress query reports (a run that is running, failed or was cancelled).
   */
  public LedgerView ledger(String workflowId) {
    var described = client.newUntypedWorkflowStub(workflowId).describe();
    String status = described.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    if ("COMPLETED".equals(status)) {
      OnboardingResult result =
          client.newUntypedWorkflowStub(workflowId).getResult(OnboardingResult.class);
      return new LedgerView(
          workflowId, status, withTableChanges(workflowId, result), result.createdResources());
    }
    OnboardingProgress p = progress(workflowId);
    return new LedgerView(workflowId, status, p.ledger(), p.createdResources());
  }

  /**
   * The onboarding's ledger with what table changes ({@code onramp tables add|drop}) did since,
   * which offboarding undoes too. Those are found by listing runs; a server without the visibility
   * API (the SDK's in-process test server) shows the onboarding's own ledger.
   */
  private List<dev.onramp.activities.ledger.LedgerEntry> withTableChanges(
      String workflowId, OnboardingResult result) {
    try {
      return new TableChangeClient(client, taskQueue).ledgerOf(workflowId);
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() != io.grpc.Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      return result.ledger();
    }
  }

  /**
   * What {@code onramp show} prints: the run's status, its ledger and (for runs from before the
   * ledger, whose ledger is empty) the free-text list of what it created.
   */
  public record LedgerView(
      String workflowId,
      String status,
      List<dev.onramp.activities.ledger.LedgerEntry> ledger,
      List<String> createdResources) {}

  /** Onboardings, newest first, from the visibility store (with their search attributes). */
  public List<OnboardingSummary> list(int limit) {
    ListWorkflowExecutionsResponse response =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setQuery("WorkflowType = 'OnboardingWorkflow'")
                    .setPageSize(limit)
                    .build());
    List<OnboardingSummary> out = new ArrayList<>();
    for (var e : response.getExecutionsList()) {
      var fields = e.getSearchAttributes().getIndexedFieldsMap();
      out.add(
          new OnboardingSummary(
              e.getExecution().getWorkflowId(),
              e.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
              keyword(fields.get("OnboardingStep")),
              keyword(fields.get("OnboardingStatus")),
              Instant.ofEpochSecond(e.getStartTime().getSeconds(), e.getStartTime().getNanos())));
    }
    return out;
  }

  private static String keyword(io.temporal.api.common.v1.Payload p) {
    if (p == null) {
      return null;
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class);
  }

  private OnboardingWorkflow stub(String workflowId) {
    return client.newWorkflowStub(OnboardingWorkflow.class, workflowId);
  }

  /** A run of one target is already in progress. */
  public static final class AlreadyRunningException extends RuntimeException {
    public AlreadyRunningException(String workflowId) {
      super(
          "an onboarding of this target is already running ("
              + workflowId
              + "); watch it with 'onramp watch', or cancel it first");
    }
  }

  /** One row of {@link #list}. */
  public record OnboardingSummary(
      String workflowId, String executionStatus, String step, String status, Instant startedAt) {}

  /** The workflow's execution status (running, or how it closed), as Temporal describes it. */
  public WorkflowExecutionStatus status(String workflowId) {
    return untyped(workflowId).describe().getWorkflowExecutionInfo().getStatus();
  }

  /** Whether the workflow's run has closed (completed, failed, cancelled, terminated...). */
  public boolean closed(String workflowId) {
    return status(workflowId) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  public WorkflowStub untyped(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId);
  }
}
