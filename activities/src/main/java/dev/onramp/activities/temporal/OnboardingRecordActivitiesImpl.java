package dev.onramp.activities.temporal;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.workflows.OffboardingResult;
import dev.onramp.workflows.OffboardingWorkflows;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.TableChangeResult;
import dev.onramp.workflows.TableChangeWorkflows;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a target's onboarding runs through the Temporal client, as {@code
 * ReverificationActivitiesImpl} reaches schedules: the runs from the visibility store, each
 * completed run's ledger from its result, and a run that failed, was cancelled or terminated from
 * its {@code progress} query (Temporal answers queries of closed runs by replaying them on a
 * worker), so what a failed onboarding created is removed too. Changes nothing.
 */
public final class OnboardingRecordActivitiesImpl implements OnboardingRecordActivities {
  private static final Logger log = LoggerFactory.getLogger(OnboardingRecordActivitiesImpl.class);
  private final WorkflowClient client;

  public OnboardingRecordActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public OnboardingRecord onboardingRecord(OnboardingRecordRequest request) {
    String onboardingId =
        OnboardingWorkflows.workflowId(
            request.region(), request.dbInstanceId(), request.database());
    String offboardingId =
        OffboardingWorkflows.workflowId(
            request.region(), request.dbInstanceId(), request.database());
    Instant since = lastCompleteOffboarding(request.dbInstanceId(), offboardingId);
    String running = null;
    List<WorkflowExecutionMetadata> closed = new ArrayList<>();
    for (WorkflowExecutionMetadata run :
        runs("OnboardingWorkflow", request.dbInstanceId(), onboardingId)) {
      if (run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        running = run.getExecution().getRunId();
      } else if (since == null || run.getStartTime().isAfter(since)) {
        closed.add(run);
      }
    }
    closed.sort(Comparator.comparing(WorkflowExecutionMetadata::getStartTime));
    List<OnboardingRun> runs = new ArrayList<>();
    for (WorkflowExecutionMetadata run : closed) {
      runs.add(read(onboardingId, run));
    }
    runs = withTableChanges(runs, request.dbInstanceId(), onboardingId, since);
    String tablesId = TableChangeWorkflows.workflowId(onboardingId);
    String tableChangeRunning =
        runs("TableChangeWorkflow", request.dbInstanceId(), tablesId).stream()
            .filter(r -> r.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
            .map(r -> r.getExecution().getRunId())
            .findFirst()
            .orElse(null);
    log.info(
        "{}: {} onboarding run(s) since {}{}{}",
        onboardingId,
        runs.size(),
        since == null ? "the beginning" : since,
        running == null ? "" : ", one running",
        tableChangeRunning == null ? "" : ", a table change running");
    return new OnboardingRecord(
        runs, running, tableChangeRunning, otherOnboarded(request.dbInstanceId(), onboardingId));
  }

  private OnboardingRun read(String workflowId, WorkflowExecutionMetadata run) {
    String runId = run.getExecution().getRunId();
    WorkflowStub stub =
        client.newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty());
    List<LedgerEntry> ledger;
    if (run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      ledger = stub.getResult(OnboardingResult.class).ledger();
    } else {
      ledger = stub.query("progress", OnboardingProgress.class).ledger();
    }
    return new OnboardingRun(
        runId,
        run.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
        run.getStartTime(),
        requestOf(workflowId, runId),
        ledger);
  }

  /**
   * The completed table changes ({@code onramp tables add|drop}) since {@code since}, merged in by
   * start time as runs of their own: they added relations, publication members, replica identities
   * and grants that offboarding must undo as well. Each carries the latest onboarding's request
   * before it (a table change runs on an onboarded target), so the last run's request stays the
   * target's.
   */
  private List<OnboardingRun> withTableChanges(
      List<OnboardingRun> onboardings, String dbInstanceId, String onboardingId, Instant since) {
    String tablesId = TableChangeWorkflows.workflowId(onboardingId);
    List<WorkflowExecutionMetadata> changes = new ArrayList<>();
    for (WorkflowExecutionMetadata run : runs("TableChangeWorkflow", dbInstanceId, tablesId)) {
      if (run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
          && (since == null || run.getStartTime().isAfter(since))) {
        changes.add(run);
      }
    }
    if (changes.isEmpty() || onboardings.isEmpty()) {
      return onboardings;
    }
    List<OnboardingRun> all = new ArrayList<>(onboardings);
    for (WorkflowExecutionMetadata run : changes) {
      String runId = run.getExecution().getRunId();
      TableChangeResult result =
          client
              .newUntypedWorkflowStub(tablesId, Optional.of(runId), Optional.empty())
              .getResult(TableChangeResult.class);
      OnboardingRequest request =
          onboardings.stream()
              .filter(o -> !o.startedAt().isAfter(run.getStartTime()))
              .reduce((first, second) -> second)
              .orElse(onboardings.get(0))
              .request();
      all.add(new OnboardingRun(runId, "COMPLETED", run.getStartTime(), request, result.ledger()));
    }
    all.sort(Comparator.comparing(OnboardingRun::startedAt));
    log.info("{}: {} completed table change(s) in the ledger", tablesId, changes.size());
    return all;
  }

  /**
   * The other databases of the instance that are onboarded: an onboarding run that completed (or is
   * running) after the last complete offboarding of its own target. They replicate through the
   * instance's parameter group, so restoring the group for this target would stop them.
   */
  private List<String> otherOnboarded(String dbInstanceId, String onboardingId) {
    Map<String, Instant> latestByTarget = new TreeMap<>();
    for (WorkflowExecutionMetadata run : listedOnInstance("OnboardingWorkflow", dbInstanceId)) {
      String other = run.getExecution().getWorkflowId();
      boolean counts =
          run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
              || run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      if (!other.equals(onboardingId) && counts) {
        latestByTarget.merge(other, run.getStartTime(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    List<String> out = new ArrayList<>();
    latestByTarget.forEach(
        (other, startedAt) -> {
          Instant offboarded =
              lastCompleteOffboarding(dbInstanceId, other.replaceFirst("^onboard/", "offboard/"));
          if (offboarded == null || offboarded.isBefore(startedAt)) {
            out.add(other);
          }
        });
    if (!out.isEmpty()) {
      log.info("{}: other databases onboarded on {}: {}", onboardingId, dbInstanceId, out);
    }
    return out;
  }

  /** The request a run started with (secret references only), from its first history event. */
  private OnboardingRequest requestOf(String workflowId, String runId) {
    Payloads input =
        client
            .fetchHistory(workflowId, runId)
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getInput();
    return client
        .getOptions()
        .getDataConverter()
        .fromPayloads(0, Optional.of(input), OnboardingRequest.class, OnboardingRequest.class);
  }

  /**
   * When the last offboarding that left nothing over closed; null when there was none. An
   * incomplete one does not count: its leftovers are still to be removed; nor does one that kept
   * the parameter group as asked: a later {@code --restore-parameter-group} needs the association
   * entry (with the group the instance used before) of the onboarding that changed it.
   */
  private Instant lastCompleteOffboarding(String dbInstanceId, String offboardingId) {
    Instant last = null;
    for (WorkflowExecutionMetadata run : runs("OffboardingWorkflow", dbInstanceId, offboardingId)) {
      if (run.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        continue;
      }
      OffboardingResult result =
          client
              .newUntypedWorkflowStub(
                  offboardingId, Optional.of(run.getExecution().getRunId()), Optional.empty())
              .getResult(OffboardingResult.class);
      if (settledEverything(result) && (last == null || run.getCloseTime().isAfter(last))) {
        last = run.getCloseTime();
      }
    }
    return last;
  }

  private static boolean settledEverything(OffboardingResult result) {
    return result.complete()
        && result.removals().stream().noneMatch(r -> r.outcome() == RemovalOutcome.KEPT_AS_ASKED);
  }

  /**
   * The runs of one workflow id. Listed by type and instance (both plain keywords) and filtered
   * here by id: a database name may hold any character, which a visibility query would have to
   * escape.
   */
  private List<WorkflowExecutionMetadata> runs(String type, String dbInstanceId, String id) {
    List<WorkflowExecutionMetadata> listed = listed(type, dbInstanceId, id);
    // The visibility store lags its runs (a run that closed a moment ago may be listed as running,
    // or a run started a moment ago not at all); describing the id's latest run reads its state
    // directly, so an offboarding right after an onboarding sees that onboarding as it is.
    WorkflowExecutionDescription latest;
    try {
      latest = client.newUntypedWorkflowStub(id).describe();
    } catch (WorkflowNotFoundException e) {
      return listed;
    }
    if (!latest.getWorkflowType().equals(type)) {
      return listed;
    }
    List<WorkflowExecutionMetadata> out = new ArrayList<>();
    for (WorkflowExecutionMetadata run : listed) {
      if (!run.getExecution().getRunId().equals(latest.getExecution().getRunId())) {
        out.add(run);
      }
    }
    out.add(latest);
    return out;
  }

  private List<WorkflowExecutionMetadata> listed(String type, String dbInstanceId, String id) {
    return listedOnInstance(type, dbInstanceId).stream()
        .filter(e -> e.getExecution().getWorkflowId().equals(id))
        .toList();
  }

  private List<WorkflowExecutionMetadata> listedOnInstance(String type, String dbInstanceId) {
    String query =
        "WorkflowType = '"
            + type
            + "' AND "
            + OnboardingWorkflows.DB_INSTANCE.getName()
            + " = '"
            + dbInstanceId
            + "'";
    return client.listExecutions(query).toList();
  }
}
