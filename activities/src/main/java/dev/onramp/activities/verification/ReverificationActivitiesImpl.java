package dev.onramp.activities.verification;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.workflows.OnboardingRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.time.Duration;

/** {@link ReverificationActivities}: a facade over {@link ScheduleResource}. */
public final class ReverificationActivitiesImpl implements ReverificationActivities {
  private final ScheduleResource schedule;

  public ReverificationActivitiesImpl(WorkflowClient client, String taskQueue) {
    ScheduleClient schedules =
        ScheduleClient.newInstance(
            client.getWorkflowServiceStubs(),
            ScheduleClientOptions.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                // The action's input (the onboarding request) is stored in the schedule and
                // handed to each run: encrypt it as the worker expects every payload to be.
                .setDataConverter(client.getOptions().getDataConverter())
                .build());
    this.schedule = new ScheduleResource(schedules, taskQueue);
  }

  public static String scheduleId(OnboardingRequest r) {
    return ScheduleResource.scheduleId(r);
  }

  @Override
  public String ensureSchedule(OnboardingRequest request, Duration every) {
    return schedule.converge(new ScheduleRequest(request, every)).identifier();
  }

  @Override
  public boolean deleteSchedule(OnboardingRequest request) {
    return schedule.delete(scheduleId(request));
  }

  @Override
  public LedgerEntry convergeSchedule(ScheduleRequest request) {
    return schedule.converge(request);
  }

  @Override
  public PlannedChange planSchedule(ScheduleRequest request) {
    return schedule.plan(request);
  }

  @Override
  public Removal removeSchedule(ScheduleRemoval removal) {
    LedgerEntry entry = removal.entry();
    if (entry.kind() != ResourceKind.REVERIFICATION_SCHEDULE) {
      return Removal.of(entry, RemovalOutcome.KEPT_NOT_OURS, "not a schedule entry; nothing done");
    }
    return schedule.remove(entry);
  }

  @Override
  public boolean retargetSchedule(ScheduleTablesChange change) {
    return schedule.retarget(change);
  }
}
