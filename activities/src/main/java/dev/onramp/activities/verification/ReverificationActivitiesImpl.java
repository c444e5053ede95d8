package dev.onramp.activities.verification;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.VerificationWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, or brings up to date, the Temporal Schedule {@code verify/<region>/<instance>/<db>} that
 * runs {@link VerificationWorkflow} for an onboarded database. Idempotent: an existing schedule is
 * updated in place rather than duplicated.
 */
public final class ReverificationActivitiesImpl implements ReverificationActivities {
  private static final Logger log = LoggerFactory.getLogger(ReverificationActivitiesImpl.class);
  private final ScheduleClient schedules;
  private final String taskQueue;

  public ReverificationActivitiesImpl(WorkflowClient client, String taskQueue) {
    this.schedules =
        ScheduleClient.newInstance(
            client.getWorkflowServiceStubs(),
            io.temporal.client.schedules.ScheduleClientOptions.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                // The action's input (the onboarding request) is stored in the schedule and
                // handed to each run: encrypt it as the worker expects every payload to be.
                .setDataConverter(client.getOptions().getDataConverter())
                .build());
    this.taskQueue = taskQueue;
  }

  public static String scheduleId(OnboardingRequest r) {
    return "verify/" + r.region() + "/" + r.dbInstanceId() + "/" + r.database();
  }

  @Override
  public String ensureSchedule(OnboardingRequest request, Duration every) {
    String id = scheduleId(request);
    Schedule schedule = schedule(request, every, id);
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
      log.info("created schedule {} every {}", id, every);
    } catch (ScheduleAlreadyRunningException e) {
      // Keep the state an operator may have set (paused, with a note): an update replaces it.
      schedules
          .getHandle(id)
          .update(
              input ->
                  new ScheduleUpdate(
                      Schedule.newBuilder(schedule)
                          .setState(input.getDescription().getSchedule().getState())
                          .build()));
      log.info("updated schedule {} to every {}", id, every);
    }
    return id;
  }

  @Override
  public boolean deleteSchedule(OnboardingRequest request) {
    String id = scheduleId(request);
    try {
      schedules.getHandle(id).delete();
      log.info("deleted schedule {}: re-verification turned off", id);
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

  private Schedule schedule(OnboardingRequest request, Duration every, String id) {
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(VerificationWorkflow.class)
                .setArguments(request)
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue(taskQueue)
                        .setWorkflowExecutionTimeout(Duration.ofMinutes(30))
                        .build())
                .build())
        .setSpec(
            ScheduleSpec.newBuilder()
                .setIntervals(List.of(new ScheduleIntervalSpec(every)))
                .build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                .build())
        .build();
  }

  @Override
  public LedgerEntry convergeSchedule(ScheduleRequest request) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }

  @Override
  public Removal removeSchedule(ScheduleRemoval removal) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }
}
