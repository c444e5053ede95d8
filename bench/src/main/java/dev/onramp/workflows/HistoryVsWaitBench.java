package dev.onramp.workflows;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How an onboarding's history and cost grow with the length of the reboot it waits for. Each row is
 * one onboarding on the time-skipping test server with the fake activities; ratios are against the
 * first row, measured in the same run. The design's rule is that history size does not grow with a
 * wait: the events and bytes columns should stay at 1.00 while the polls grow.
 */
public final class HistoryVsWaitBench {
  private static final List<Duration> REBOOTS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          Duration.ofHours(5),
          Duration.ofHours(24));

  record Row(
      Duration reboot,
      int events,
      int bytes,
      long polls,
      long millis,
      Map<String, Integer> byKind,
      Map<String, Integer> activities,
      Map<String, Integer> localActivities) {}

  public static void main(String[] args) {
    System.out.println("onramp bench: history and cost of an onboarding vs. the reboot's length");
    System.out.println("(time-skipping test server, fake activities, poll every 30s)");
    System.out.println(OverheadBench.machine(FleetBench.LOAD_BEFORE));
    System.out.println();
    run(REBOOTS.get(0)); // warm-up: class loading and JIT, not measured
    Row base = null;
    Row last = null;
    System.out.printf(
        Locale.ROOT,
        "%-8s %8s %8s %8s %9s %8s %10s %8s%n",
        "reboot",
        "events",
        "ratio",
        "bytes",
        "ratio",
        "polls",
        "wall ms",
        "ratio");
    Map<Duration, Row> rowsByReboot = new HashMap<>();
    for (Duration reboot : REBOOTS) {
      Row r = run(reboot);
      rowsByReboot.put(reboot, r);
      if (base == null) {
        base = r;
      }
      System.out.printf(
          Locale.ROOT,
          "%-8s %8d %8.2f %8d %9.2f %8d %10d %8.2f%n",
          reboot.toString().substring(2).toLowerCase(Locale.ROOT),
          r.events(),
          (double) r.events() / base.events(),
          r.bytes(),
          (double) r.bytes() / base.bytes(),
          r.polls(),
          r.millis(),
          (double) r.millis() / base.millis());
      last = r;
    }
    System.out.println();
    Row oneMinute = base;
    Row oneHour = rowsByReboot.get(Duration.ofHours(1));
    boolean met = oneMinute.events() == oneHour.events() && oneMinute.events() <= TARGET_EVENTS;
    System.out.printf(
        Locale.ROOT,
        "target (issue 15): events equal for 1-minute and 1-hour reboots (%d, %d) and <= %d: %s%n",
        oneMinute.events(),
        oneHour.events(),
        TARGET_EVENTS,
        met ? "met" : "NOT met");
    System.out.println();
    System.out.println("where the events of one onboarding come from (the last row):");
    last.byKind().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %4d  %s%n", e.getValue(), e.getKey()));
    System.out.println("activities scheduled, by type (each costs 3 events: scheduled, started,");
    System.out.println("completed, plus the workflow task that follows):");
    last.activities().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %4d  %s%n", e.getValue(), e.getKey()));
    System.out.println("local activities, by type (lean-history's reads: one marker each, run");
    System.out.println("inside the workflow task, no task of their own):");
    last.localActivities().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %4d  %s%n", e.getValue(), e.getKey()));
  }

  /** Issue 15's target for the events of one onboarding. */
  private static final int TARGET_EVENTS = 150;

  private static Row run(Duration reboot) {
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setInitialTimeMillis(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli())
                .build());
    try {
      for (String name : OnboardingWorkflows.SEARCH_ATTRIBUTE_NAMES) {
        env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
      Worker worker = env.newWorker("bench");
      worker.registerWorkflowImplementationTypes(OnboardingWorkflowImpl.class);
      FakeWorld world = new FakeWorld(env);
      world.rebootDuration = reboot;
      worker.registerActivitiesImplementations(world.activities());
      env.start();
      OnboardingRequest request =
          OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("orders"))
              .withRebootPolicy(RebootPolicy.IMMEDIATE)
              .withWaits(
                  new WaitSettings(null, Duration.ofDays(2), null, null, null).withDefaults());
      WorkflowClient client = env.getWorkflowClient();
      OnboardingWorkflow wf =
          client.newWorkflowStub(
              OnboardingWorkflow.class, OnboardingWorkflows.options(request, "bench"));
      long start = System.nanoTime();
      WorkflowClient.start(wf::onboard, request);
      WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class);
      long millis = (System.nanoTime() - start) / 1_000_000;
      WorkflowExecutionHistory h = client.fetchHistory(OnboardingWorkflows.workflowId(request));
      long polls = world.calls.stream().filter("rds.checkRebooted"::equals).count();
      Map<String, Integer> byKind = new TreeMap<>();
      Map<String, Integer> activities = new TreeMap<>();
      Map<String, Integer> localActivities = new TreeMap<>();
      for (HistoryEvent e : h.getEvents()) {
        if (e.hasMarkerRecordedEventAttributes()
            && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) {
          localActivities.merge(
              DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                  0,
                  Optional.of(e.getMarkerRecordedEventAttributes().getDetailsOrThrow("type")),
                  String.class,
                  String.class),
              1,
              Integer::sum);
        }
        byKind.merge(
            e.getEventType().name().replaceFirst("^EVENT_TYPE_", "").toLowerCase(Locale.ROOT),
            1,
            Integer::sum);
        if (e.hasActivityTaskScheduledEventAttributes()) {
          activities.merge(
              e.getActivityTaskScheduledEventAttributes().getActivityType().getName(),
              1,
              Integer::sum);
        }
      }
      return new Row(
          reboot,
          h.getEvents().size(),
          h.getHistory().getSerializedSize(),
          polls,
          millis,
          byKind,
          activities,
          localActivities);
    } finally {
      env.close();
    }
  }
}
