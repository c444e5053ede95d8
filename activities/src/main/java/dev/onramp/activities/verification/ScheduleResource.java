package dev.onramp.activities.verification;

import dev.onramp.activities.aws.ManagedResource;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.VerificationWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal Schedule {@code verify/<region>/<instance>/<db>} that runs {@link
 * VerificationWorkflow} for an onboarded database. Its id is onramp's alone and its action starts
 * onramp's workflow: that is its mark. An existing schedule is updated in place (keeping a pause an
 * operator set), never duplicated.
 */
public final class ScheduleResource
    implements ManagedResource<ScheduleRequest, Optional<ScheduleDescription>> {
  private static final Logger log = LoggerFactory.getLogger(ScheduleResource.class);
  private static final String WORKFLOW_TYPE = VerificationWorkflow.class.getSimpleName();

  private final ScheduleClient schedules;
  private final String taskQueue;

  public ScheduleResource(ScheduleClient schedules, String taskQueue) {
    this.schedules = schedules;
    this.taskQueue = taskQueue;
  }

  public static String scheduleId(OnboardingRequest r) {
    return "verify/" + r.region() + "/" + r.dbInstanceId() + "/" + r.database();
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.REVERIFICATION_SCHEDULE;
  }

  @Override
  public Optional<ScheduleDescription> inspect(ScheduleRequest wanted) {
    return describe(scheduleId(wanted.request()));
  }

  private Optional<ScheduleDescription> describe(String id) {
    try {
      return Optional.of(schedules.getHandle(id).describe());
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public PlannedChange plan(ScheduleRequest wanted) {
    String id = scheduleId(wanted.request());
    Optional<Duration> every = inspect(wanted).map(ScheduleResource::every);
    if (every.isEmpty()) {
      return new PlannedChange(
          kind(), id, PlanAction.CREATE, "re-verification every " + wanted.every());
    }
    return every.get().equals(wanted.every())
        ? new PlannedChange(kind(), id, PlanAction.REUSE, "already every " + wanted.every())
        : new PlannedChange(
            kind(),
            id,
            PlanAction.CHANGE,
            "every " + every.get() + " now; every " + wanted.every() + " after");
  }

  /** CREATED; REUSED when it runs as wanted already; CHANGED (previous: the old interval). */
  @Override
  public LedgerEntry converge(ScheduleRequest wanted) {
    String id = scheduleId(wanted.request());
    Schedule schedule = schedule(wanted, id);
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
      log.info("created schedule {} every {}", id, wanted.every());
      return LedgerEntry.created(kind(), id);
    } catch (ScheduleAlreadyRunningException e) {
      Duration before = describe(id).map(ScheduleResource::every).orElse(null);
      // Keep the state an operator may have set (paused, with a note): an update replaces it.
      schedules
          .getHandle(id)
          .update(
              input ->
                  new ScheduleUpdate(
                      Schedule.newBuilder(schedule)
                          .setState(input.getDescription().getSchedule().getState())
                          .build()));
      log.info("updated schedule {} to every {}", id, wanted.every());
      return wanted.every().equals(before)
          ? LedgerEntry.reused(kind(), id)
          : LedgerEntry.changed(kind(), id, before == null ? null : "every " + before);
    }
  }

  private static Duration every(ScheduleDescription d) {
    List<ScheduleIntervalSpec> intervals = d.getSchedule().getSpec().getIntervals();
    return intervals == null || intervals.isEmpty() ? null : intervals.get(0).getEvery();
  }

  @Override
  public List<Finding> drift(ScheduleRequest wanted) {
    Optional<ScheduleDescription> d = inspect(wanted);
    String id = scheduleId(wanted.request());
    if (d.isEmpty()) {
      return List.of(
          new Finding(
              Severity.WARNING,
              kind(),
              id,
              "the re-verification schedule is gone: drift goes unnoticed",
              "run onramp again for this database with re-verification on"));
    }
    if (d.get().getSchedule().getState().isPaused()) {
      return List.of(
          new Finding(
              Severity.INFO,
              kind(),
              id,
              "the re-verification schedule is paused ("
                  + d.get().getSchedule().getState().getNote()
                  + ")",
              "temporal schedule toggle --schedule-id '" + id + "' --unpause --reason 'resume'"));
    }
    return List.of();
  }

  /**
   * Deletes the schedule. Its id is onramp's naming, but only one whose action still starts {@link
   * VerificationWorkflow} is onramp's to delete; any outcome (a re-run records REUSED) is onramp's.
   */
  @Override
  public Removal remove(LedgerEntry entry) {
    String id = entry.identifier();
    Optional<ScheduleDescription> d = describe(id);
    if (d.isEmpty()) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the schedule no longer exists");
    }
    if (!(d.get().getSchedule().getAction() instanceof ScheduleActionStartWorkflow start)
        || !WORKFLOW_TYPE.equals(start.getWorkflowType())) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_NOT_OURS,
          "the schedule no longer starts " + WORKFLOW_TYPE + "; left in place");
    }
    if (!delete(id)) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the schedule no longer exists");
    }
    return Removal.of(entry, RemovalOutcome.REMOVED, "deleted");
  }

  /**
   * Applies a table change to the request the existing schedule's runs check (so a dropped table is
   * not reported missing and an added one is checked), keeping its interval and any pause; false
   * when there is no schedule of onramp's (it was turned off, or its action no longer starts {@link
   * VerificationWorkflow}).
   */
  public boolean retarget(ScheduleTablesChange change) {
    String id = scheduleId(change.onboarding());
    boolean[] ours = {false};
    try {
      schedules
          .getHandle(id)
          .update(
              input -> {
                Schedule current = input.getDescription().getSchedule();
                if (!(current.getAction() instanceof ScheduleActionStartWorkflow start)
                    || !WORKFLOW_TYPE.equals(start.getWorkflowType())) {
                  return null; // not onramp's: no update
                }
                ours[0] = true;
                OnboardingRequest now = start.getArguments().get(0, OnboardingRequest.class);
                OnboardingRequest after =
                    now.withTables(
                        TableSelection.changed(now.tables(), change.action(), change.tables()));
                log.info("schedule {} now checks tables {}", id, after.tables().names());
                return new ScheduleUpdate(
                    Schedule.newBuilder(current)
                        .setAction(
                            ScheduleActionStartWorkflow.newBuilder(start)
                                .setArguments(after)
                                .build())
                        .build());
              });
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw e;
    }
    return ours[0];
  }

  /** Deletes the schedule; whether there was one. */
  boolean delete(String id) {
    try {
      schedules.getHandle(id).delete();
      log.info("deleted schedule {}", id);
      return true;
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean isNotFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  private Schedule schedule(ScheduleRequest wanted, String id) {
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(VerificationWorkflow.class)
                .setArguments(wanted.request())
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue(taskQueue)
                        .setStaticSummary(
                            dev.onramp.workflows.WebUiMetadata.verificationSummary(
                                wanted.request()))
                        // Both, not the summary alone: SDK 1.38's describe of a schedule reads
                        // the action's static details unconditionally and fails on the empty
                        // payload a summary-only action has ("when parsing: \"\"").
                        .setStaticDetails(
                            dev.onramp.workflows.WebUiMetadata.onboardingDetails(wanted.request()))
                        .setWorkflowExecutionTimeout(Duration.ofMinutes(30))
                        .build())
                .build())
        .setSpec(
            ScheduleSpec.newBuilder()
                .setIntervals(List.of(new ScheduleIntervalSpec(wanted.every())))
                .build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                .build())
        .build();
  }
}
