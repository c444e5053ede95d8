package dev.onramp.workflows.client;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.TableChangeRequest;
import dev.onramp.workflows.TableChangeResult;
import dev.onramp.workflows.TableChangeWorkflow;
import dev.onramp.workflows.TableChangeWorkflows;
import dev.onramp.workflows.tables.TableChangeAction;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code onramp tables add|drop} for an onboarded target and reads what onramp did to it so
 * far ({@link #ledgerOf}): the onboarding's ledger followed by every completed table change's,
 * oldest first. Offboarding must undo that whole ledger, not only the onboarding's.
 */
public final class TableChangeClient {
  private final WorkflowClient client;
  private final String taskQueue;

  public TableChangeClient(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  /** A table change of the target is still running; one at a time. */
  public static final class AlreadyRunningException extends RuntimeException {
    public AlreadyRunningException(String workflowId) {
      super(
          "a table change of this target is already running ("
              + workflowId
              + "); wait for it to finish, then run this one");
    }
  }

  /** The target was never onboarded, or its onboarding has not completed. */
  public static final class NotOnboardedException extends RuntimeException {
    public NotOnboardedException(String message) {
      super(message);
    }
  }

  /**
   * Refuses (with {@link NotOnboardedException}) a target whose onboarding does not exist or has
   * not completed, and (with {@link AlreadyRunningException}) one with a table change still
   * running; otherwise starts the change and returns its workflow id.
   */
  public String start(String onboardingWorkflowId, TableChangeAction action, List<String> tables) {
    OnboardingRequest onboarding = completedOnboarding(onboardingWorkflowId);
    TableChangeRequest request =
        new TableChangeRequest(onboarding, action, tables, ledgerOf(onboardingWorkflowId));
    List<String> problems = request.problems();
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    TableChangeWorkflow wf =
        client.newWorkflowStub(
            TableChangeWorkflow.class, TableChangeWorkflows.options(onboarding, taskQueue));
    try {
      WorkflowClient.start(wf::change, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new AlreadyRunningException(TableChangeWorkflows.workflowId(onboardingWorkflowId));
    }
    return TableChangeWorkflows.workflowId(onboardingWorkflowId);
  }

  public String progress(String workflowId) {
    return client.newWorkflowStub(TableChangeWorkflow.class, workflowId).progress();
  }

  /** Blocks until the run ends; {@code WorkflowFailedException} carries the failure. */
  public TableChangeResult awaitResult(String workflowId, Duration timeout) throws Exception {
    return client
        .newUntypedWorkflowStub(workflowId)
        .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, TableChangeResult.class);
  }

  /**
   * What onramp did to the target: the onboarding's ledger, then each completed table change's, in
   * the order they ran. Empty when the target was never onboarded.
   */
  public List<LedgerEntry> ledgerOf(String onboardingWorkflowId) {
    List<LedgerEntry> out = new ArrayList<>();
    completionOf(onboardingWorkflowId, null)
        .ifPresent(p -> out.addAll(decode(p, OnboardingResult.class).ledger()));
    String tablesId = TableChangeWorkflows.workflowId(onboardingWorkflowId);
    List<WorkflowExecutionMetadata> runs =
        new ArrayList<>(
            client
                .listExecutions(
                    "WorkflowId = '"
                        + tablesId.replace("\\", "\\\\").replace("'", "\\'")
                        + "' AND ExecutionStatus = 'Completed'")
                .toList());
    runs.sort(Comparator.comparing(WorkflowExecutionMetadata::getStartTime));
    for (WorkflowExecutionMetadata run : runs) {
      completionOf(tablesId, run.getExecution().getRunId())
          .ifPresent(p -> out.addAll(decode(p, TableChangeResult.class).ledger()));
    }
    return out;
  }

  private OnboardingRequest completedOnboarding(String onboardingWorkflowId) {
    if (completionOf(onboardingWorkflowId, null).isEmpty()) {
      throw new NotOnboardedException(
          onboardingWorkflowId
              + " has not completed (or never ran): tables can be added to or dropped from an"
              + " onboarded database only; see onramp status "
              + onboardingWorkflowId);
    }
    return new OnboardingClient(client, taskQueue).requestOf(onboardingWorkflowId);
  }

  /** The result payload of the run when it completed; empty if it did not (or does not exist). */
  private Optional<Payloads> completionOf(String workflowId, String runId) {
    WorkflowExecutionHistory history;
    try {
      history =
          runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    List<HistoryEvent> events = history.getEvents();
    HistoryEvent last = events.get(events.size() - 1);
    if (last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
      return Optional.empty();
    }
    return Optional.of(last.getWorkflowExecutionCompletedEventAttributes().getResult());
  }

  private <T> T decode(Payloads payloads, Class<T> type) {
    return client
        .getOptions()
        .getDataConverter()
        .fromPayloads(0, Optional.of(payloads), type, type);
  }
}
