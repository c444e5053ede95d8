package dev.onramp.workflows;

import dev.onramp.cli.demo.TemporalDevServer;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet's own cost at N = 100, 500, 1,000 databases on one worker and a real Temporal dev
 * server: the real FleetWorkflow, FleetMemberWorkflow and the reboot budget (RebootSlot, as
 * RebootPath uses it), around a stand-in onboarding whose AWS waits are durable timers (a fixed
 * time before the reboot, the reboot, a fixed time after). So it measures what onramp's fleet
 * machinery costs and whether it keeps the reboot budget busy; it makes no AWS call and starts no
 * PostgreSQL (the emulator has no shared-server mode yet). Prints a table and writes
 * bench/target/fleet-bench.json.
 */
public final class FleetBench {
  /**
   * The wait before the reboot (default 2 s; a fleet's fourth field): a long one has every
   * onboarding of a large fleet started and waiting before the first reboot.
   */
  static Duration BEFORE = Duration.ofSeconds(2);

  /** The reboot's length: the second argument, in seconds (default 5). */
  static Duration REBOOT = Duration.ofSeconds(5);

  static final Duration AFTER = Duration.ofSeconds(2);
  static final String QUEUE = "fleet-bench";

  /**
   * Each reboot as the stand-in saw it (workflow time, i.e. the start of the workflow task that saw
   * it): slot asked for, slot granted, slot given back.
   */
  static final List<long[]> REBOOTS = Collections.synchronizedList(new ArrayList<>());

  /** Each onboarding's life (workflow time): start, end; for the most open at once. */
  static final List<long[]> LIVES = Collections.synchronizedList(new ArrayList<>());

  /** An onboarding whose AWS waits are timers; its reboot passes the fleet's budget. */
  public static class TimedOnboarding extends StubOnboarding {
    @Override
    public OnboardingResult onboard(OnboardingRequest request) {
      long born = Workflow.currentTimeMillis();
      Workflow.sleep(BEFORE);
      RebootSlot slot = new RebootSlot(request);
      long asked = Workflow.currentTimeMillis();
      slot.acquire(() -> {});
      long from = Workflow.currentTimeMillis();
      Workflow.sleep(REBOOT);
      if (!WorkflowUnsafe.isReplaying()) {
        REBOOTS.add(new long[] {asked, from, Workflow.currentTimeMillis()});
      }
      slot.release();
      Workflow.sleep(AFTER);
      if (!WorkflowUnsafe.isReplaying()) {
        LIVES.add(new long[] {born, Workflow.currentTimeMillis()});
      }
      return result(request);
    }
  }

  record Row(
      int n,
      int rebootLimit,
      long rebootS,
      long beforeS,
      int succeeded,
      int failed,
      long mostRebootingAtOnce,
      long mostOpenAtOnce,
      double makespanS,
      double lowerBoundS,
      double overLowerBound,
      double cpuSPerOnboarding,
      long heapPeakMb,
      long rssPeakMb,
      int fleetRuns,
      int maxEventsPerRun,
      double firstGrantS,
      double slotIdleSPerGrant,
      double tailS) {}

  /** The load average when the bench began (the machine line gives it and the one at the end). */
  static final String LOAD_BEFORE = loadAverage();

  public static void main(String[] args) throws Exception {
    if (args.length > 1) {
      REBOOT = Duration.ofSeconds(Long.parseLong(args[1].trim()));
    }
    // Each fleet "N[/limit[/reboot s[/before s]]]" (default limit N/10, reboot the second
    // argument, before 2 s), comma-separated.
    List<int[]> sizes = new ArrayList<>();
    for (String s : (args.length > 0 ? args[0] : "100,500,1000").split(",")) {
      sizes.add(fleetSpec(s, LIMIT_N_10, (int) REBOOT.toSeconds(), 2));
    }
    Path state = Files.createTempDirectory("fleet-bench");
    List<Row> rows = new ArrayList<>();
    try (TemporalDevServer temporal = TemporalDevServer.start(temporalCli(), state, false)) {
      WorkflowClient client = temporal.client();
      // Every member and onboarding of the largest fleet stays cached (a workflow evicted from the
      // cache is replayed from its whole history at its next task): 2 workflows per database.
      int cached = Math.max(600, 2 * sizes.stream().mapToInt(nl -> nl[0]).max().orElse(0) + 10);
      WorkerFactory factory =
          WorkerFactory.newInstance(
              client,
              WorkerFactoryOptions.newBuilder()
                  .setWorkflowCacheSize(cached)
                  .setMaxWorkflowThreadCount(cached)
                  .build());
      Worker worker =
          factory.newWorker(
              QUEUE,
              WorkerOptions.newBuilder().setMaxConcurrentWorkflowTaskExecutionSize(50).build());
      worker.registerWorkflowImplementationTypes(
          FleetWorkflowImpl.class, FleetMemberWorkflowImpl.class, TimedOnboarding.class);
      factory.start();
      // Each row printed (and the JSON rewritten) as soon as it is measured: the larger fleets
      // take long on a busy machine, and an interrupted run keeps what it measured.
      for (int[] nl : sizes) {
        rows.add(run(client, nl[0], nl[1], Duration.ofSeconds(nl[2]), Duration.ofSeconds(nl[3])));
        print(rows);
      }
      factory.shutdownNow();
    }
  }

  /** A default of {@link #fleetSpec}: the reboot limit N/10. */
  static final int LIMIT_N_10 = -1;

  /**
   * A fleet "N/a/b/..." as numbers: N, then each field given or its default ({@link #LIMIT_N_10}:
   * N/10).
   */
  static int[] fleetSpec(String spec, int... defaults) {
    String[] f = spec.trim().split("/");
    int[] fields = new int[defaults.length + 1];
    fields[0] = Integer.parseInt(f[0].trim());
    for (int i = 1; i < fields.length; i++) {
      int d = defaults[i - 1] == LIMIT_N_10 ? Math.max(1, fields[0] / 10) : defaults[i - 1];
      fields[i] = f.length > i ? Integer.parseInt(f[i].trim()) : d;
    }
    return fields;
  }

  static Row run(WorkflowClient client, int n, int limit, Duration reboot, Duration before)
      throws Exception {
    REBOOT = reboot;
    BEFORE = before;
    REBOOTS.clear();
    LIVES.clear();
    List<OnboardingRequest> dbs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dbs.add(
          new OnboardingRequest(
              "us-east-1",
              "bench-" + i,
              "shop",
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
              null));
    }
    String name = "bench-" + n + "-" + System.currentTimeMillis();
    FleetRequest request = new FleetRequest(name, new FleetLimits(n, limit, null), dbs);
    System.gc();
    resetPeaks();
    AtomicLong rssPeak = new AtomicLong(rssKb());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> rssPeak.accumulateAndGet(rssKb(), Math::max), 0, 200, TimeUnit.MILLISECONDS);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    long t0Millis = System.currentTimeMillis();
    FleetWorkflow wf =
        client.newWorkflowStub(FleetWorkflow.class, FleetWorkflows.options(request, QUEUE));
    String firstRun = WorkflowClient.start(wf::run, request, null).getRunId();
    FleetResult result = WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.HOURS, FleetResult.class);
    double makespan = (System.nanoTime() - t0) / 1e9;
    long endMillis = t0Millis + (long) (makespan * 1000);
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    sampler.shutdownNow();
    double lower =
        Math.ceil((double) n / limit) * REBOOT.toMillis() / 1000.0
            + (BEFORE.toMillis() + AFTER.toMillis()) / 1000.0;
    int[] history = fleetHistory(client, FleetWorkflows.workflowId(name), firstRun);
    return new Row(
        n,
        limit,
        REBOOT.toSeconds(),
        BEFORE.toSeconds(),
        result.succeeded(),
        result.failed(),
        mostAtOnce(REBOOTS.stream().map(r -> new long[] {r[1], r[2]}).toList()),
        mostAtOnce(LIVES),
        makespan,
        lower,
        makespan / lower,
        cpu / n,
        heapPeakBytes() / (1024 * 1024),
        rssPeak.get() / 1024,
        history[0],
        history[1],
        (REBOOTS.stream().mapToLong(r -> r[1]).min().orElse(t0Millis) - t0Millis) / 1000.0,
        slotIdleMillis(REBOOTS, limit) / 1000.0 / Math.max(1, REBOOTS.size()),
        (endMillis - REBOOTS.stream().mapToLong(r -> r[2]).max().orElse(endMillis)) / 1000.0);
  }

  /**
   * Slot-milliseconds the budget left idle while some onboarding waited for a slot: at each
   * instant, min(free slots, onboardings waiting), summed over time. Divided by the grants, it is
   * the mean hand-off time of a slot (release seen by the onboarding to grant seen by the next).
   */
  static long slotIdleMillis(List<long[]> reboots, int limit) {
    List<long[]> edges = new ArrayList<>(); // time, d(waiting), d(holding)
    synchronized (reboots) {
      for (long[] r : reboots) {
        edges.add(new long[] {r[0], 1, 0});
        edges.add(new long[] {r[1], -1, 1});
        edges.add(new long[] {r[2], 0, -1});
      }
    }
    edges.sort((a, b) -> Long.compare(a[0], b[0]));
    long waiting = 0;
    long holding = 0;
    long idle = 0;
    long at = edges.isEmpty() ? 0 : edges.get(0)[0];
    for (long[] e : edges) {
      idle += Math.max(0, Math.min(limit - holding, waiting)) * (e[0] - at);
      at = e[0];
      waiting += e[1];
      holding += e[2];
    }
    return idle;
  }

  /**
   * How many runs the fleet took and the most events one of them had, following the chain from the
   * first run (fetching by id alone gives the last run only).
   */
  static int[] fleetHistory(WorkflowClient client, String id, String firstRun) {
    int runs = 0;
    int most = 0;
    String runId = firstRun;
    while (true) {
      var history = client.fetchHistory(id, runId).getHistory().getEventsList();
      runs++;
      most = Math.max(most, history.size());
      HistoryEvent last = history.get(history.size() - 1);
      if (!last.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
        return new int[] {runs, most};
      }
      runId = last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
    }
  }

  static long mostAtOnce(List<long[]> intervals) {
    List<long[]> edges = new ArrayList<>();
    synchronized (intervals) {
      for (long[] i : intervals) {
        edges.add(new long[] {i[0], 1});
        edges.add(new long[] {i[1], -1});
      }
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long open = 0;
    long most = 0;
    for (long[] e : edges) {
      open += e[1];
      most = Math.max(most, open);
    }
    return most;
  }

  static void print(List<Row> rows) throws Exception {
    String machine = OverheadBench.machine(LOAD_BEFORE);
    System.out.println();
    System.out.println("onramp bench: fleet of N on one worker (real Temporal dev server)");
    System.out.println(
        "stand-in onboarding: "
            + "before s + a reboot of boot s + "
            + AFTER.toSeconds()
            + "s of timers; no AWS, no PostgreSQL");
    System.out.println(machine);
    System.out.println(
        "open: most onboardings running at once; 1st slot: s from the fleet's start to its first"
            + " reboot; idle/slot: s a free slot waited for a waiting onboarding, per reboot (the"
            + " hand-off); tail s: last reboot's end to the fleet's end");
    System.out.printf(
        Locale.ROOT,
        "%6s %6s %6s %8s %5s %5s %8s %6s %10s %10s %7s %10s %8s %8s %5s %8s %8s %9s %7s%n",
        "N",
        "limit",
        "boot s",
        "before s",
        "ok",
        "fail",
        "maxboot",
        "open",
        "makespan s",
        "bound s",
        "ratio",
        "cpu s/onb",
        "heap MB",
        "rss MB",
        "runs",
        "ev/run",
        "1st slot",
        "idle/slot",
        "tail s");
    StringBuilder json = new StringBuilder("{\"machine\":\"" + machine + "\",\"rows\":[");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      System.out.printf(
          Locale.ROOT,
          "%6d %6d %6d %8d %5d %5d %8d %6d %10.1f %10.1f %7.2f %10.4f %8d %8d %5d %8d"
              + " %8.1f %9.2f %7.1f%n",
          r.n(),
          r.rebootLimit(),
          r.rebootS(),
          r.beforeS(),
          r.succeeded(),
          r.failed(),
          r.mostRebootingAtOnce(),
          r.mostOpenAtOnce(),
          r.makespanS(),
          r.lowerBoundS(),
          r.overLowerBound(),
          r.cpuSPerOnboarding(),
          r.heapPeakMb(),
          r.rssPeakMb(),
          r.fleetRuns(),
          r.maxEventsPerRun(),
          r.firstGrantS(),
          r.slotIdleSPerGrant(),
          r.tailS());
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"n\":%d,\"rebootLimit\":%d,\"succeeded\":%d,\"failed\":%d,"
                      + "\"mostRebootingAtOnce\":%d,\"mostOpenAtOnce\":%d,\"makespanS\":%.2f,"
                      + "\"lowerBoundS\":%.2f,"
                      + "\"ratio\":%.3f,\"cpuSPerOnboarding\":%.4f,\"heapPeakMb\":%d,"
                      + "\"rssPeakMb\":%d,\"fleetRuns\":%d,\"maxEventsPerRun\":%d,"
                      + "\"firstSlotS\":%.2f,\"slotIdleSPerGrant\":%.3f,\"tailS\":%.2f,"
                      + "\"rebootS\":%d,\"beforeS\":%d}",
                  r.n(),
                  r.rebootLimit(),
                  r.succeeded(),
                  r.failed(),
                  r.mostRebootingAtOnce(),
                  r.mostOpenAtOnce(),
                  r.makespanS(),
                  r.lowerBoundS(),
                  r.overLowerBound(),
                  r.cpuSPerOnboarding(),
                  r.heapPeakMb(),
                  r.rssPeakMb(),
                  r.fleetRuns(),
                  r.maxEventsPerRun(),
                  r.firstGrantS(),
                  r.slotIdleSPerGrant(),
                  r.tailS(),
                  r.rebootS(),
                  r.beforeS()));
    }
    json.append("]}\n");
    Path out = Path.of("target", "fleet-bench.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    System.out.println("written " + out.toAbsolutePath());
  }

  /** The 1-minute load average: how busy the (shared) machine was. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** VmHWM would be the peak over the whole JVM's life; VmRSS sampled gives each run's own. */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // not Linux: no RSS figure
    }
    return 0;
  }

  static Path temporalCli() {
    String env = System.getenv("ONRAMP_TEMPORAL_CLI");
    if (env != null) {
      return Path.of(env);
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(".tools/temporal/bin/temporal");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    for (String d : System.getenv("PATH").split(File.pathSeparator)) {
      Path p = Path.of(d, "temporal");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no Temporal CLI: run scripts/install-tools or set ONRAMP_TEMPORAL_CLI");
  }
}
