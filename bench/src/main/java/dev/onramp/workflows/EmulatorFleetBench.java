package dev.onramp.workflows;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.rds.RdsActivitiesImpl;
import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.http.ApiCallLog;
import dev.onramp.sandbox.aws.rds.RebootLog;
import dev.onramp.sandbox.aws.rds.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet against the AWS emulator: the real FleetWorkflow, FleetMemberWorkflow and reboot budget
 * on one worker and a real Temporal dev server, around a stand-in onboarding whose reboot is the
 * real one: {@link RebootSlot}, then onramp's own {@code reboot} and {@code checkRebooted}
 * activities ({@link RdsActivitiesImpl}, the AWS SDK) with the onboarding's poll options, against
 * an emulator in shared-server mode (every instance a database of one PostgreSQL server). From the
 * emulator's own logs: the most instances rebooting at once (the budget), the detection latency
 * (instance {@code available} again to the workflow's next step), describe calls per instance per
 * minute of waiting, and throttling. Prints a table and writes target/emulator-fleet-bench.json.
 */
public final class EmulatorFleetBench {
  static final String QUEUE = "emulator-fleet-bench";
  static final String REGION = "us-east-1";

  /** The instance's reboot in the emulator (its {@code rebooting} state), and the poll interval. */
  static Duration reboot = Duration.ofSeconds(90);

  /** onramp's default poll for instance waits. */
  static Duration poll = WaitSettings.defaults().awsPollInterval();

  /** Per reboot: instance, reboot call (workflow time), checkRebooted returned (workflow time). */
  record Seen(String instance, long rebootCalled, long detected) {}

  static final List<Seen> SEEN = Collections.synchronizedList(new ArrayList<>());

  /** Each onboarding's life (workflow time), for the most open at once. */
  static final List<long[]> LIVES = Collections.synchronizedList(new ArrayList<>());

  /**
   * A wait before the slot (a fleet's third field, default none): a long one has every onboarding
   * of a large fleet started and waiting before the first reboot.
   */
  static Duration before = Duration.ZERO;

  /** An onboarding that only reboots, as RebootPath does: slot, reboot, wait, release. */
  public static class RebootingOnboarding extends StubOnboarding {
    @Override
    public OnboardingResult onboard(OnboardingRequest request) {
      OnboardingActivities act = new OnboardingActivities(request.waits(), true);
      long born = Workflow.currentTimeMillis();
      if (!before.isZero()) {
        Workflow.sleep(before);
      }
      RebootSlot slot = new RebootSlot(request);
      slot.acquire(() -> {});
      Instant requestedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis());
      act.rds.reboot(request.region(), request.dbInstanceId(), requestedAt);
      long called = Workflow.currentTimeMillis();
      act.rdsPoll.checkRebooted(
          request.region(), request.dbInstanceId(), "default.postgres16", requestedAt);
      long detected = Workflow.currentTimeMillis();
      slot.release();
      if (!WorkflowUnsafe.isReplaying()) {
        SEEN.add(new Seen(request.dbInstanceId(), called, detected));
        LIVES.add(new long[] {born, detected});
      }
      return result(request);
    }
  }

  record Row(
      int n,
      int limit,
      long beforeS,
      int ok,
      int failed,
      int mostRebooting,
      long mostOpen,
      double makespanS,
      double lowerBoundS,
      double detectP50S,
      double detectP95S,
      double instanceDescribesPerInstanceMinute,
      double describesPerInstanceMinute,
      long throttled,
      long heapPeakMb,
      long rssPeakMb,
      double cpuSPerOnboarding,
      double setupS) {}

  public static void main(String[] args) throws Exception {
    // Each fleet "N[/limit[/before s]]" (limit N/10, no wait before the slot unless given).
    List<int[]> sizes = new ArrayList<>();
    for (String s : (args.length > 0 ? args[0] : "100/25").split(",")) {
      sizes.add(FleetBench.fleetSpec(s, FleetBench.LIMIT_N_10, 0));
    }
    if (args.length > 1) {
      reboot = Duration.ofSeconds(Long.parseLong(args[1].trim()));
    }
    if (args.length > 2) {
      poll = Duration.ofSeconds(Long.parseLong(args[2].trim()));
    }
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    List<Row> rows = new ArrayList<>();
    Path state = Files.createTempDirectory("emulator-fleet-bench");
    Files.createDirectories(state.resolve("temporal"));
    try (TemporalDevServer temporal =
        TemporalDevServer.start(FleetBench.temporalCli(), state.resolve("temporal"), false)) {
      for (int[] f : sizes) {
        before = Duration.ofSeconds(f[2]);
        rows.add(run(temporal.client(), state.resolve("aws-" + f[0] + "-" + f[1]), f[0], f[1]));
        print(rows);
      }
    }
  }

  static Row run(WorkflowClient client, Path awsState, int n, int limit) throws Exception {
    SEEN.clear();
    LIVES.clear();
    long setup0 = System.nanoTime();
    AwsEmulator.Builder b =
        AwsEmulator.builder()
            .stateDir(awsState)
            .sharedPostgres(true)
            .timings(new Timings(Duration.ofMillis(200), Duration.ofMillis(200), reboot));
    for (int i = 0; i < n; i++) {
      b.instance(
          DbInstanceSpec.builder(instance(i))
              .dbName("shop_" + i)
              .masterUsername("admin_" + i)
              .build());
    }
    try (AwsEmulator aws = b.start();
        AwsClients clients =
            new AwsClients(new AwsSettings(aws.endpoint(), Duration.ofSeconds(30), 8))) {
      double setup = (System.nanoTime() - setup0) / 1e9;
      int cached = 2 * n + 10;
      WorkerFactory factory =
          WorkerFactory.newInstance(
              client,
              WorkerFactoryOptions.newBuilder()
                  .setWorkflowCacheSize(Math.max(600, cached))
                  .setMaxWorkflowThreadCount(Math.max(600, cached))
                  .build());
      Worker worker = factory.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(
          FleetWorkflowImpl.class, FleetMemberWorkflowImpl.class, RebootingOnboarding.class);
      worker.registerActivitiesImplementations(new RdsActivitiesImpl(clients));
      factory.start();
      aws.callLog().clear();

      List<OnboardingRequest> dbs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        dbs.add(
            OnboardingRequest.of(REGION, instance(i), "shop_" + i, TableSelection.tables("orders"))
                .withRebootPolicy(RebootPolicy.IMMEDIATE)
                .withWaits(
                    new WaitSettings(poll, Duration.ofHours(2), null, null, null).withDefaults()));
      }
      String name = "emu-" + n + "-" + System.currentTimeMillis();
      FleetRequest request = new FleetRequest(name, new FleetLimits(n, limit, null), dbs);
      System.gc();
      FleetBench.resetPeaks();
      AtomicLong rssPeak = new AtomicLong(FleetBench.rssKb());
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(
          () -> rssPeak.accumulateAndGet(FleetBench.rssKb(), Math::max),
          0,
          200,
          TimeUnit.MILLISECONDS);
      long cpu0 = FleetBench.processCpuNanos();
      long t0 = System.nanoTime();
      FleetWorkflow wf =
          client.newWorkflowStub(FleetWorkflow.class, FleetWorkflows.options(request, QUEUE));
      WorkflowClient.start(wf::run, request, null);
      FleetResult result =
          WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.HOURS, FleetResult.class);
      double makespan = (System.nanoTime() - t0) / 1e9;
      double cpu = (FleetBench.processCpuNanos() - cpu0) / 1e9;
      sampler.shutdownNow();
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);

      RebootLog log = aws.rebootLog();
      Map<String, RebootLog.Reboot> ended = new HashMap<>();
      log.reboots().forEach(r -> ended.put(r.instanceId(), r));
      List<Long> latencies = new ArrayList<>();
      double instanceDescribes = 0;
      double describes = 0;
      double waitedMinutes = 0;
      List<ApiCallLog.Call> calls = aws.callLog().calls();
      Map<String, List<ApiCallLog.Call>> byInstance = new HashMap<>();
      for (ApiCallLog.Call c : calls) {
        // Every describe the wait makes counts: DescribeEvents (the restart's evidence, each
        // poll until it shows) as well as DescribeDBInstances.
        if (c.action() != null && c.action().startsWith("Describe") && c.instanceId() != null) {
          byInstance.computeIfAbsent(c.instanceId(), k -> new ArrayList<>()).add(c);
        }
      }
      synchronized (SEEN) {
        for (Seen s : SEEN) {
          RebootLog.Reboot r = ended.get(s.instance());
          if (r != null && r.endedMillis() > 0) {
            latencies.add(s.detected() - r.endedMillis());
          }
          for (ApiCallLog.Call c : byInstance.getOrDefault(s.instance(), List.of())) {
            if (c.atMillis() >= s.rebootCalled() && c.atMillis() <= s.detected()) {
              describes++;
              if ("DescribeDBInstances".equals(c.action())) {
                instanceDescribes++;
              }
            }
          }
          waitedMinutes += (s.detected() - s.rebootCalled()) / 60_000.0;
        }
      }
      Collections.sort(latencies);
      double lower =
          Math.ceil((double) n / limit) * reboot.toMillis() / 1000.0 + before.toSeconds();
      return new Row(
          n,
          limit,
          before.toSeconds(),
          result.succeeded(),
          result.failed(),
          log.mostAtOnce(),
          FleetBench.mostAtOnce(LIVES),
          makespan,
          lower,
          percentile(latencies, 0.50) / 1000.0,
          percentile(latencies, 0.95) / 1000.0,
          waitedMinutes == 0 ? 0 : instanceDescribes / waitedMinutes,
          waitedMinutes == 0 ? 0 : describes / waitedMinutes,
          calls.stream().filter(ApiCallLog.Call::throttled).count(),
          FleetBench.heapPeakBytes() / (1024 * 1024),
          rssPeak.get() / 1024,
          cpu / n,
          setup);
    }
  }

  static String instance(int i) {
    return "fleet-" + i;
  }

  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  static void print(List<Row> rows) throws Exception {
    String machine = OverheadBench.machine(FleetBench.LOAD_BEFORE);
    System.out.println();
    System.out.println(
        "onramp bench: fleet of N against the AWS emulator (mode: shared-server, one PostgreSQL"
            + " for all instances), real reboot + checkRebooted activities");
    System.out.printf(
        Locale.ROOT,
        "reboot %ds in the emulator, AWS poll interval %ds; before: s waited before asking for"
            + " a slot; open: most onboardings running at once; ddi/i/min: DescribeDBInstances,"
            + " desc/i/min: every describe (DescribeEvents too), per instance per minute of reboot"
            + " wait; %s%n",
        reboot.toSeconds(),
        poll.toSeconds(),
        machine);
    System.out.printf(
        Locale.ROOT,
        "%6s %5s %6s %5s %5s %8s %6s %10s %9s %7s %8s %8s %9s %10s %6s %7s %7s %9s %7s%n",
        "N",
        "limit",
        "before",
        "ok",
        "fail",
        "maxboot",
        "open",
        "makespan s",
        "bound s",
        "ratio",
        "det p50",
        "det p95",
        "ddi/i/min",
        "desc/i/min",
        "thrtl",
        "heap MB",
        "rss MB",
        "cpu s/onb",
        "setup s");
    StringBuilder json =
        new StringBuilder(
            "{\"mode\":\"shared-server\",\"rebootS\":"
                + reboot.toSeconds()
                + ",\"pollS\":"
                + poll.toSeconds()
                + ",\"machine\":\""
                + machine
                + "\",\"rows\":[");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      System.out.printf(
          Locale.ROOT,
          "%6d %5d %6d %5d %5d %8d %6d %10.1f %9.1f %7.2f %8.2f %8.2f %9.2f %10.2f %6d %7d %7d"
              + " %9.3f %7.1f%n",
          r.n(),
          r.limit(),
          r.beforeS(),
          r.ok(),
          r.failed(),
          r.mostRebooting(),
          r.mostOpen(),
          r.makespanS(),
          r.lowerBoundS(),
          r.makespanS() / r.lowerBoundS(),
          r.detectP50S(),
          r.detectP95S(),
          r.instanceDescribesPerInstanceMinute(),
          r.describesPerInstanceMinute(),
          r.throttled(),
          r.heapPeakMb(),
          r.rssPeakMb(),
          r.cpuSPerOnboarding(),
          r.setupS());
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"n\":%d,\"rebootLimit\":%d,\"succeeded\":%d,\"failed\":%d,"
                      + "\"beforeS\":%d,\"mostRebootingAtOnce\":%d,\"mostOpenAtOnce\":%d,"
                      + "\"makespanS\":%.2f,\"lowerBoundS\":%.2f,"
                      + "\"detectionP50S\":%.3f,\"detectionP95S\":%.3f,"
                      + "\"describeDBInstancesPerInstancePerMinute\":%.3f,"
                      + "\"describesPerInstancePerMinute\":%.3f,\"throttled\":%d,"
                      + "\"heapPeakMb\":%d,\"rssPeakMb\":%d,\"cpuSPerOnboarding\":%.4f}",
                  r.n(),
                  r.limit(),
                  r.ok(),
                  r.failed(),
                  r.beforeS(),
                  r.mostRebooting(),
                  r.mostOpen(),
                  r.makespanS(),
                  r.lowerBoundS(),
                  r.detectP50S(),
                  r.detectP95S(),
                  r.instanceDescribesPerInstanceMinute(),
                  r.describesPerInstanceMinute(),
                  r.throttled(),
                  r.heapPeakMb(),
                  r.rssPeakMb(),
                  r.cpuSPerOnboarding()));
    }
    json.append("]}\n");
    Path out = Path.of("target", "emulator-fleet-bench.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    System.out.println("written " + out.toAbsolutePath());
  }
}
