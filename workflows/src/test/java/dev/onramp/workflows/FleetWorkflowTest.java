package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet's own logic on the time-skipping test server: its members run a stand-in onboarding
 * that passes through {@link RebootSlot} exactly as RebootPath does (ask, reboot for a while, give
 * back) and records when it rebooted, so the budget, the onboarding limit, pause, failures and
 * continue-as-new are checked without AWS. The real onboarding against the AWS emulator is
 * FleetE2eTest's.
 */
class FleetWorkflowTest {
  static final String QUEUE = "fleet-test";
  static final Duration REBOOT = Duration.ofMinutes(10);

  /** One reboot: which instance, from when to when (workflow time). */
  record Reboot(String region, String instance, long from, long to) {}

  static final List<Reboot> REBOOTS = Collections.synchronizedList(new ArrayList<>());
  static final List<long[]> RUNS = Collections.synchronizedList(new ArrayList<>());

  /** Reboots inside the slot, as RebootPath does; a database named "broken" fails preflight. */
  public static class SlotOnboarding extends StubOnboarding {
    @Override
    public OnboardingResult onboard(OnboardingRequest request) {
      long began = Workflow.currentTimeMillis();
      if (request.database().equals("broken")) {
        throw ApplicationFailure.newNonRetryableFailure(
            "preflight: table public.orders does not exist", "Preflight");
      }
      Workflow.sleep(Duration.ofMinutes(1)); // preflight, parameter group, association
      RebootSlot slot = new RebootSlot(request);
      slot.acquire(() -> {});
      long from = Workflow.currentTimeMillis();
      Workflow.sleep(REBOOT);
      if (!WorkflowUnsafe.isReplaying()) {
        REBOOTS.add(
            new Reboot(
                request.region(), request.dbInstanceId(), from, Workflow.currentTimeMillis()));
      }
      slot.release();
      Workflow.sleep(Duration.ofMinutes(2)); // objects and snapshot
      if (!WorkflowUnsafe.isReplaying()) {
        RUNS.add(new long[] {began, Workflow.currentTimeMillis()});
      }
      return result(request);
    }
  }

  /** Workflow.isReplaying without the internal import at every use. */
  static final class WorkflowUnsafe {
    static boolean isReplaying() {
      return io.temporal.workflow.unsafe.WorkflowUnsafe.isReplaying();
    }
  }

  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void start() {
    REBOOTS.clear();
    RUNS.clear();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().build());
    for (String name : OnboardingWorkflows.SEARCH_ATTRIBUTE_NAMES) {
      env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        FleetWorkflowImpl.class, FleetMemberWorkflowImpl.class, SlotOnboarding.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static OnboardingRequest db(String region, String instance, String database) {
    return new OnboardingRequest(
        region,
        instance,
        database,
        TableSelection.tables("orders"),
        null,
        null,
        null,
        null,
        null,
        null,
        RebootPolicy.IMMEDIATE,
        null,
        null,
        null,
        null);
  }

  FleetWorkflow fleet(FleetRequest request) {
    return client.newWorkflowStub(FleetWorkflow.class, FleetWorkflows.options(request, QUEUE));
  }

  @Test
  void neverMoreRebootsThanTheBudgetAndOneFailureStopsNoOther() {
    List<OnboardingRequest> dbs = new ArrayList<>();
    IntStream.range(0, 20)
        .forEach(i -> dbs.add(db("us-east-1", "db-" + i, i == 7 ? "broken" : "shop")));
    FleetRequest request = new FleetRequest("twenty", new FleetLimits(8, 3, null), dbs);
    FleetResult result = fleet(request).run(request, null);

    assertThat(result.succeeded()).isEqualTo(19);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.members().get(7).state()).isEqualTo(FleetMemberState.FAILED);
    assertThat(result.members().get(7).detail()).contains("public.orders does not exist");
    assertThat(result.members().get(7).workflowId()).isEqualTo("onboard/us-east-1/db-7/broken");
    assertThat(REBOOTS).hasSize(19);
    assertThat(maxOverlap(REBOOTS, r -> true)).isEqualTo(3);
    assertThat(maxOverlap(RUNS)).isLessThanOrEqualTo(8);
    // The budget is used fully: ceil(19/3)=7 rounds of reboots, a few minutes on either side.
    long first = RUNS.stream().mapToLong(r -> r[0]).min().orElseThrow();
    long last = RUNS.stream().mapToLong(r -> r[1]).max().orElseThrow();
    assertThat(Duration.ofMillis(last - first)).isLessThan(REBOOT.multipliedBy(7).plusMinutes(10));
    assertThat(result.table()).contains("db-7").contains("FAILED").contains("SUCCEEDED");
    // fleet-slot-handoff: most slots changed hands between onboardings, the fleet recording it.
    long handedOver =
        client.fetchHistory(FleetWorkflows.workflowId("twenty")).getEvents().stream()
            .filter(e -> e.hasWorkflowExecutionSignaledEventAttributes())
            .filter(
                e ->
                    e.getWorkflowExecutionSignaledEventAttributes()
                        .getSignalName()
                        .equals(FleetWorkflow.HANDED_OVER))
            .count();
    assertThat(handedOver).as("slots handed over").isGreaterThanOrEqualTo(10);
  }

  @Test
  void perRegionLimitHoldsWhileOtherRegionsUseTheRest() {
    List<OnboardingRequest> dbs = new ArrayList<>();
    IntStream.range(0, 6).forEach(i -> dbs.add(db("us-east-1", "east-" + i, "shop")));
    IntStream.range(0, 6).forEach(i -> dbs.add(db("eu-west-1", "west-" + i, "shop")));
    FleetRequest request =
        new FleetRequest("regions", new FleetLimits(12, 3, Map.of("us-east-1", 1)), dbs);
    FleetResult result = fleet(request).run(request, null);

    assertThat(result.succeeded()).isEqualTo(12);
    assertThat(maxOverlap(REBOOTS, r -> r.region().equals("us-east-1"))).isEqualTo(1);
    assertThat(maxOverlap(REBOOTS, r -> true)).isEqualTo(3);
  }

  @Test
  void pauseStopsNewStartsAndSlotsUntilResume() {
    List<OnboardingRequest> dbs = new ArrayList<>();
    IntStream.range(0, 4).forEach(i -> dbs.add(db("us-east-1", "db-" + i, "shop")));
    FleetRequest request = new FleetRequest("paused", new FleetLimits(2, 1, null), dbs);
    FleetWorkflow wf = fleet(request);
    WorkflowClient.start(wf::run, request, null);
    wf.pause();
    env.sleep(Duration.ofHours(3));
    FleetProgress paused = wf.progress();
    assertThat(paused.paused()).isTrue();
    // What had started before the pause finished nothing: its reboots wait for a slot.
    assertThat(paused.counts().getOrDefault(FleetMemberState.SUCCEEDED, 0)).isZero();
    assertThat(paused.counts().getOrDefault(FleetMemberState.QUEUED, 0)).isGreaterThanOrEqualTo(2);
    wf.resume();
    FleetResult result = WorkflowStub.fromTyped(wf).getResult(FleetResult.class);
    assertThat(result.succeeded()).isEqualTo(4);
  }

  /**
   * Sixty members with room for all: started 25 per workflow task at most (the deadlock detector
   * fails a task that holds the workflow thread for a second), every one of them, within the
   * budget. With {@code -Drecord.histories=true} the fleet's history goes into the replay corpus.
   */
  @Test
  void manyMembersStartInBatchesOfAWorkflowTaskEach() throws Exception {
    List<OnboardingRequest> dbs = new ArrayList<>();
    IntStream.range(0, 60).forEach(i -> dbs.add(db("us-east-1", "db-" + i, "shop")));
    FleetRequest request = new FleetRequest("sixty", new FleetLimits(60, 20, null), dbs);
    FleetResult result = fleet(request).run(request, null);
    assertThat(result.succeeded()).isEqualTo(60);
    assertThat(maxOverlap(REBOOTS, r -> true)).isEqualTo(20);

    var history = client.fetchHistory(FleetWorkflows.workflowId("sixty"));
    List<Integer> startsPerTask = new ArrayList<>();
    int starts = 0;
    for (var e : history.getEvents()) {
      if (e.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
        starts++;
      } else if (e.hasWorkflowTaskCompletedEventAttributes() && starts > 0) {
        startsPerTask.add(starts);
        starts = 0;
      }
    }
    if (starts > 0) {
      startsPerTask.add(starts);
    }
    assertThat(startsPerTask).containsExactly(25, 25, 10);
    if (Boolean.getBoolean("record.histories")) {
      java.nio.file.Path out =
          java.nio.file.Path.of(
              "src/test/resources/histories/fleet-grants-while-starting-1/fleet-sixty.json");
      java.nio.file.Files.createDirectories(out.getParent());
      java.nio.file.Files.writeString(out, history.toJson(true));
    }
  }

  @Test
  void badFleetIsRefusedNamingTheItem() {
    FleetRequest dup =
        new FleetRequest(
            "dup",
            new FleetLimits(1, 0, null),
            List.of(db("us-east-1", "db-1", "shop"), db("us-east-1", "db-1", "shop")));
    assertThat(FleetValidator.problems(dup))
        .anyMatch(p -> p.startsWith("databases[1]: us-east-1/db-1/shop is already databases[0]"))
        .anyMatch(p -> p.startsWith("limits.reboots: 0 would start nothing"));
    FleetWorkflow wf = fleet(dup);
    assertThatThrownBy(() -> wf.run(dup, null))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("databases[1]");
    assertThat(REBOOTS).isEmpty();
  }

  static long maxOverlap(List<Reboot> reboots, java.util.function.Predicate<Reboot> which) {
    return maxOverlap(
        reboots.stream().filter(which).map(r -> new long[] {r.from(), r.to()}).toList());
  }

  /** The most intervals [from, to) open at one instant. */
  static long maxOverlap(List<long[]> intervals) {
    List<long[]> edges = new ArrayList<>();
    for (long[] i : intervals) {
      edges.add(new long[] {i[0], 1});
      edges.add(new long[] {i[1], -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long open = 0;
    long max = 0;
    for (long[] e : edges) {
      open += e[1];
      max = Math.max(max, open);
    }
    return max;
  }
}
