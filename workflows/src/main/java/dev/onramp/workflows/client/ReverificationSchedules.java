package dev.onramp.workflows.client;

import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The re-verification schedules ({@code verify/<region>/<instance>/<database>}, created by the
 * onboarding) seen and steered from the command line over Temporal Schedules.
 */
public final class ReverificationSchedules {
  /** Shorter than this, checks would pile up on a database (and on Materialize). */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  static final String PREFIX = "verify/";

  private final ScheduleClient schedules;

  public ReverificationSchedules(WorkflowClient client) {
    this.schedules =
        ScheduleClient.newInstance(
            client.getWorkflowServiceStubs(),
            ScheduleClientOptions.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setDataConverter(client.getOptions().getDataConverter())
                .build());
  }

  /** One schedule: its interval, whether paused (and why), its next runs and its last runs. */
  public record View(
      String scheduleId,
      Duration every,
      boolean paused,
      String note,
      List<Instant> nextRuns,
      List<LastRun> lastRuns) {}

  /** A run the schedule started: when, and the workflow id and run id to look it up. */
  public record LastRun(Instant at, String workflowId, String runId) {}

  /** The schedule id of an onboarding's workflow id ({@code onboard/...} → {@code verify/...}). */
  public static String scheduleId(String onboardingWorkflowId) {
    return onboardingWorkflowId.replaceFirst("^onboard/", PREFIX);
  }

  public List<View> list() {
    try (Stream<ScheduleListDescription> all = schedules.listSchedules()) {
      return all.filter(d -> d.getScheduleId().startsWith(PREFIX))
          .map(d -> describe(d.getScheduleId()))
          .sorted(java.util.Comparator.comparing(View::scheduleId))
          .toList();
    }
  }

  public View describe(String scheduleId) {
    ScheduleDescription d = schedules.getHandle(scheduleId).describe();
    Schedule s = d.getSchedule();
    List<ScheduleIntervalSpec> intervals = s.getSpec().getIntervals();
    ScheduleState state = s.getState();
    return new View(
        scheduleId,
        intervals == null || intervals.isEmpty() ? null : intervals.get(0).getEvery(),
        state != null && state.isPaused(),
        state == null ? null : state.getNote(),
        d.getInfo().getNextActionTimes().stream().limit(3).toList(),
        d.getInfo().getRecentActions().stream().map(ReverificationSchedules::lastRun).toList());
  }

  /**
   * The request the schedule's runs check (table changes update its tables); empty when there is no
   * such schedule or it no longer starts a verification.
   */
  public java.util.Optional<dev.onramp.workflows.OnboardingRequest> request(String scheduleId) {
    ScheduleDescription d;
    try {
      d = schedules.getHandle(scheduleId).describe();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof io.grpc.StatusRuntimeException s
            && s.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
          return java.util.Optional.empty();
        }
      }
      throw e;
    }
    if (d.getSchedule().getAction()
            instanceof io.temporal.client.schedules.ScheduleActionStartWorkflow start
        && dev.onramp.workflows.VerificationWorkflow.class
            .getSimpleName()
            .equals(start.getWorkflowType())) {
      return java.util.Optional.of(
          start.getArguments().get(0, dev.onramp.workflows.OnboardingRequest.class));
    }
    return java.util.Optional.empty();
  }

  private static LastRun lastRun(ScheduleActionResult r) {
    if (r.getAction() instanceof ScheduleActionExecutionStartWorkflow w) {
      return new LastRun(r.getScheduledAt(), w.getWorkflowId(), w.getFirstExecutionRunId());
    }
    return new LastRun(r.getScheduledAt(), null, null);
  }

  public void pause(String scheduleId, String note) {
    handle(scheduleId).pause(note);
  }

  public void unpause(String scheduleId, String note) {
    handle(scheduleId).unpause(note);
  }

  /** Runs the re-verification now (the schedule's overlap policy applies). */
  public void trigger(String scheduleId) {
    handle(scheduleId).trigger();
  }

  /**
   * Sets the interval, keeping the rest of the schedule (its pause, its action). Under {@link
   * #MIN_INTERVAL} is refused, naming the value, before anything changes.
   */
  public void setInterval(String scheduleId, Duration every) {
    if (every == null || every.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "interval "
              + every
              + " is under one minute; re-verification runs at most once a minute. Nothing was"
              + " changed");
    }
    handle(scheduleId)
        .update(
            input -> {
              Schedule current = input.getDescription().getSchedule();
              return new ScheduleUpdate(
                  Schedule.newBuilder(current)
                      .setSpec(
                          ScheduleSpec.newBuilder(current.getSpec())
                              .setIntervals(List.of(new ScheduleIntervalSpec(every)))
                              .build())
                      .build());
            });
  }

  private ScheduleHandle handle(String scheduleId) {
    ScheduleHandle h = schedules.getHandle(scheduleId);
    h.describe(); // NOT_FOUND here, before any change, for a schedule that does not exist
    return h;
  }
}
