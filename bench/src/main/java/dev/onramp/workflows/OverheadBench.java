package dev.onramp.workflows;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.materialize.MaterializeActivitiesImpl;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceTable;
import dev.onramp.activities.network.NetworkActivitiesImpl;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.rds.RdsActivitiesImpl;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.activities.secrets.SecretsActivitiesImpl;
import dev.onramp.activities.secrets.SecretsManagerCredentialResolver;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.cli.demo.Demo;
import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.rds.RebootLog;
import dev.onramp.sandbox.aws.rds.Timings;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.worker.ProductionActivities;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What onramp costs against a plain script (issue 15, "Overhead" and "Detection latency"): one
 * onboarding against the stand-ins with FIXED waits (the emulator's modify and reboot, the
 * Materialize stand-in's snapshot), run two ways on the same configuration, alternating, several
 * runs each:
 *
 * <ul>
 *   <li><b>onramp</b>: the real {@code OnboardingWorkflow} on a real Temporal dev server with the
 *       worker's real activities ({@link ProductionActivities}, as the demo builds them), reboot
 *       policy IMMEDIATE;
 *   <li><b>baseline</b>: {@link BaselineOnboarding}, the same activity implementations called in
 *       the same order in a straight line, with the AWS SDK's own {@code RdsWaiter} polling as
 *       often as onramp polls; no Temporal.
 * </ul>
 *
 * Each run gets fresh stand-ins (a new emulator with its own PostgreSQL, a new Materialize
 * stand-in), started before the clock starts. Both sides must end with the source running and every
 * upstream row visible in Materialize, or the bench fails. Detection latency: from the emulator's
 * reboot log (the instance {@code available} again) to the workflow's next step (the next activity
 * scheduled in its history after {@code CheckRebooted}); for the baseline, to the waiter's return.
 * Prints a table and a summary and writes target/overhead-bench.json.
 */
public final class OverheadBench {
  static final String REGION = "us-east-1";
  static final String INSTANCE = "overhead-db";
  static final String DATABASE = "shop";
  static final List<String> TABLES = List.of("orders", "customers");

  /** The workflow's AWS polls: the baseline waits for the same with the SDK's waiter. */
  static final Set<String> POLLS = Set.of("CheckAvailable", "CheckAssociated", "CheckRebooted");

  /** What the run waits on by configuration, and how often both sides poll. */
  record Config(
      int runs, int warmups, Duration modify, Duration reboot, Duration snapshot, Duration poll) {
    /** The sum of configured waits: the least time any onboarding of this configuration takes. */
    Duration configuredWaits() {
      return modify.plus(reboot).plus(snapshot);
    }

    WaitSettings waits() {
      return new WaitSettings(
              poll, Duration.ofMinutes(10), poll, Duration.ofMinutes(10), Duration.ofMinutes(30))
          .withDefaults();
    }

    OnboardingRequest request() {
      return OnboardingRequest.of(
              REGION, INSTANCE, DATABASE, TableSelection.tables(TABLES.toArray(String[]::new)))
          .withRebootPolicy(RebootPolicy.IMMEDIATE)
          .withWaits(waits())
          // A schedule is Temporal's own feature; the baseline has none to make.
          .withReverifyEvery(Duration.ZERO);
    }
  }

  /**
   * One step of an onboarding, as the two sides line up: an activity type (onramp's AWS polls and
   * the baseline's waiters both as {@code RdsWaiter}), when it ended, and (onramp) its attempts.
   */
  record Step(
      String type, long endedMillis, int attempts, long scheduledMillis, long startedMillis) {
    Step(String type, long endedMillis) {
      this(type, endedMillis, 1, 0, 0);
    }
  }

  /**
   * One onboarding: wall time, detection latency, (onramp) its history's size, and its steps; the
   * clock started at {@code startedMillis}.
   */
  record Side(double wallS, double detectionS, int events, long startedMillis, List<Step> steps) {
    List<String> types() {
      return steps.stream().map(Step::type).toList();
    }

    /** Each step's time since the previous one ended (the first: since the start), ms. */
    long[] stepMillis() {
      long[] d = new long[steps.size() + 1];
      long before = startedMillis;
      for (int i = 0; i < steps.size(); i++) {
        d[i] = steps.get(i).endedMillis() - before;
        before = steps.get(i).endedMillis();
      }
      d[steps.size()] = startedMillis + Math.round(wallS * 1000) - before;
      return d;
    }
  }

  record Pair(int run, boolean onrampFirst, Side onramp, Side baseline) {}

  public static void main(String[] args) throws Exception {
    Config config =
        new Config(
            args.length > 0 ? Integer.parseInt(args[0].trim()) : 5,
            args.length > 5 ? Integer.parseInt(args[5].trim()) : 1,
            seconds(args, 2, 5),
            seconds(args, 1, 10),
            seconds(args, 3, 5),
            seconds(args, 4, 1));
    // The emulator takes any credentials; the SDK's default chain reads these properties.
    System.setProperty("aws.accessKeyId", "overhead");
    System.setProperty("aws.secretAccessKey", "overhead");
    System.setProperty("aws.region", REGION);
    Path state = Files.createTempDirectory("overhead-bench");
    String loadBefore = FleetBench.loadAverage();
    List<Pair> pairs = new ArrayList<>();
    try (TemporalDevServer temporal =
        TemporalDevServer.start(
            FleetBench.temporalCli(), Files.createDirectories(state.resolve("temporal")), false)) {
      for (int i = 1 - config.warmups(); i <= config.runs(); i++) {
        // Alternate which side goes first, so a machine that slows down or warms up over the
        // bench weighs on both alike.
        boolean onrampFirst = Math.floorMod(i, 2) == 1;
        Side onramp = null;
        Side baseline = null;
        for (int k = 0; k < 2; k++) {
          Path dir = state.resolve("run-" + (i + config.warmups()) + "-" + k);
          if ((k == 0) == onrampFirst) {
            onramp = onramp(temporal.client(), dir, config);
          } else {
            baseline = baseline(dir, config);
          }
        }
        requireSameCalls(onramp.types(), baseline.types());
        Pair pair = new Pair(i, onrampFirst, onramp, baseline);
        System.out.printf(
            Locale.ROOT,
            "%s %d: onramp %.2f s, baseline %.2f s (configured waits %.1f s)%n",
            i <= 0 ? "warm-up" : "run",
            i,
            onramp.wallS(),
            baseline.wallS(),
            config.configuredWaits().toMillis() / 1000.0);
        if (i > 0) {
          pairs.add(pair);
        }
      }
    }
    report(config, pairs, loadBefore);
  }

  private static Duration seconds(String[] args, int i, long dflt) {
    return args.length > i && !args[i].isBlank()
        ? Duration.ofMillis(Math.round(Double.parseDouble(args[i].trim()) * 1000))
        : Duration.ofSeconds(dflt);
  }

  // ------------------------------------------------------------------ the two sides

  static Side onramp(WorkflowClient client, Path dir, Config config) throws Exception {
    try (StandIns env = StandIns.start(dir, config)) {
      String queue = "overhead-" + UUID.randomUUID();
      try (ProductionActivities activities =
          new ProductionActivities(
              env.awsSettings(), env.mzSettings(), env.tls(), Map.of(), client, queue)) {
        TemporalWorker worker =
            new TemporalWorker(client, queue, activities.implementations(), Duration.ofSeconds(10));
        worker.start();
        try {
          OnboardingClient onboardings = new OnboardingClient(client, queue);
          long started = System.currentTimeMillis();
          long t0 = System.nanoTime();
          String id = onboardings.start(config.request());
          OnboardingResult result = onboardings.awaitResult(id, Duration.ofMinutes(15));
          double wall = (System.nanoTime() - t0) / 1e9;
          env.requireEndState(result.source(), result.tables());
          List<HistoryEvent> events = client.fetchHistory(id).getEvents();
          return new Side(
              wall,
              workflowDetection(events, env.rebootEnded()),
              events.size(),
              started,
              workflowSteps(events));
        } finally {
          worker.stop();
        }
      }
    }
  }

  static Side baseline(Path dir, Config config) throws Exception {
    try (StandIns env = StandIns.start(dir, config);
        AwsClients aws = new AwsClients(env.awsSettings())) {
      CredentialResolver resolver = new SecretsManagerCredentialResolver(aws, Map.of());
      BaselineOnboarding script =
          new BaselineOnboarding(
              aws,
              new RdsActivitiesImpl(aws),
              new SecretsActivitiesImpl(aws, resolver),
              new UpstreamActivitiesImpl(resolver, env.tls()),
              new MaterializeActivitiesImpl(
                  env.mzSettings(), resolver, env.tls().certificateAuthority()),
              new NetworkActivitiesImpl(aws, EgressCidrGuard.DEFAULT));
      long started = System.currentTimeMillis();
      long t0 = System.nanoTime();
      SourceInfo source = script.onboard(config.request());
      double wall = (System.nanoTime() - t0) / 1e9;
      env.requireEndState(source.name(), source.relations());
      return new Side(
          wall,
          (script.rebootSeenMillis() - env.rebootEnded()) / 1000.0,
          0,
          started,
          script.calls().stream().map(c -> new Step(c.type(), c.endedMillis())).toList());
    }
  }

  /**
   * The workflow's detection: from the instance {@code available} again (the emulator's reboot log)
   * to the next activity the workflow scheduled after {@code CheckRebooted} completed.
   */
  static double workflowDetection(List<HistoryEvent> events, long rebootEndedMillis) {
    long checkRebooted = -1;
    boolean completed = false;
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && "CheckRebooted"
              .equals(e.getActivityTaskScheduledEventAttributes().getActivityType().getName())) {
        checkRebooted = e.getEventId();
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && e.getActivityTaskCompletedEventAttributes().getScheduledEventId() == checkRebooted) {
        completed = true;
      } else if (completed && e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        return (millis(e.getEventTime()) - rebootEndedMillis) / 1000.0;
      }
    }
    throw new IllegalStateException("no CheckRebooted followed by another step in the history");
  }

  /**
   * The workflow's activities in order, each ending at its completion event; its AWS polls named as
   * the baseline's waiters, and the schedule call (Temporal's own) left out.
   */
  static List<Step> workflowSteps(List<HistoryEvent> events) {
    Map<Long, String> scheduled = new LinkedHashMap<>();
    Map<Long, Integer> attempts = new java.util.HashMap<>();
    Map<Long, Long> scheduledAt = new java.util.HashMap<>();
    Map<Long, Long> startedAt = new java.util.HashMap<>();
    List<Step> steps = new ArrayList<>();
    for (HistoryEvent e : events) {
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          scheduled.put(
              e.getEventId(),
              e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
          scheduledAt.put(e.getEventId(), millis(e.getEventTime()));
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
          long id = e.getActivityTaskStartedEventAttributes().getScheduledEventId();
          attempts.put(id, e.getActivityTaskStartedEventAttributes().getAttempt());
          startedAt.put(id, millis(e.getEventTime()));
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          long id = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
          String type = scheduled.get(id);
          if (!"DeleteSchedule".equals(type)) {
            steps.add(
                new Step(
                    POLLS.contains(type) ? "RdsWaiter" : type,
                    millis(e.getEventTime()),
                    attempts.getOrDefault(id, 1),
                    scheduledAt.get(id),
                    startedAt.getOrDefault(id, scheduledAt.get(id))));
          }
        }
        case EVENT_TYPE_MARKER_RECORDED -> {
          // A local activity (lean-history: preflight's reads) leaves a marker, recorded when the
          // workflow task that ran it completed; it has no scheduled or started event.
          var marker = e.getMarkerRecordedEventAttributes();
          if (marker.getMarkerName().equals("LocalActivity")) {
            String type =
                io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                    0,
                    java.util.Optional.of(marker.getDetailsOrThrow("type")),
                    String.class,
                    String.class);
            long at = millis(e.getEventTime());
            long since = steps.isEmpty() ? at : steps.get(steps.size() - 1).endedMillis();
            steps.add(new Step(type, at, 1, since, since));
          }
        }
        default -> {}
      }
    }
    return steps;
  }

  private static long millis(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  /**
   * The baseline must do what the workflow did, minus only what Temporal does for it: a baseline
   * that skipped a step would flatter onramp's figure, one that did more would hide its cost.
   */
  static void requireSameCalls(List<String> workflow, List<String> baseline) {
    if (!workflow.equals(baseline)) {
      throw new IllegalStateException(
          "the baseline's calls differ from the workflow's; workflow (its polls as RdsWaiter): "
              + workflow
              + "; baseline: "
              + baseline);
    }
  }

  // ------------------------------------------------------------------ the stand-ins

  /** One run's emulator (one instance, logical replication off) and Materialize stand-in. */
  record StandIns(AwsEmulator aws, MaterializeStandIn mz) implements AutoCloseable {
    static StandIns start(Path dir, Config config) throws Exception {
      AwsEmulator aws =
          AwsEmulator.builder()
              .stateDir(dir.resolve("aws"))
              .region(REGION)
              .timings(new Timings(config.modify(), Duration.ofSeconds(1), config.reboot()))
              .instance(
                  DbInstanceSpec.builder(INSTANCE)
                      .dbName(DATABASE)
                      .publiclyAccessible(true)
                      .seedSql(Demo.SEED.toArray(String[]::new))
                      .build())
              .start();
      try {
        MaterializeStandIn mz =
            MaterializeStandIn.builder()
                .stateDir(dir.resolve("materialize"))
                .egressCidrs(List.of("127.0.0.1/32"))
                .start();
        // The stand-in's snapshot time: each snapshot is held open this long before it commits.
        mz.faults().slowSnapshot(config.snapshot());
        return new StandIns(aws, mz);
      } catch (Exception | Error e) {
        aws.close();
        throw e;
      }
    }

    AwsSettings awsSettings() {
      return new AwsSettings(aws.endpoint(), Duration.ofSeconds(30), 8);
    }

    MaterializeSettings mzSettings() {
      return new MaterializeSettings(
          mz.host(),
          mz.port(),
          mz.user(),
          mz.password(),
          "materialize",
          mz.ssl() ? "verify-full" : "disable",
          mz.ssl() ? mz.caCertificate().toString() : null);
    }

    /** Upstream certificates verified as RDS's are: the emulator's CA stands for the bundle. */
    PgTls tls() {
      return new PgTls("verify-full", aws.caCertificate().toString());
    }

    /** When the (one) reboot ended: the instance {@code available} again, epoch ms. */
    long rebootEnded() {
      List<RebootLog.Reboot> reboots = aws.rebootLog().reboots();
      if (reboots.size() != 1 || reboots.get(0).endedMillis() <= 0) {
        throw new IllegalStateException("expected one finished reboot, the log has " + reboots);
      }
      return reboots.get(0).endedMillis();
    }

    /**
     * The end state both sides must reach: the source running, and every upstream row of every
     * table visible in its relation in Materialize.
     */
    void requireEndState(String source, List<String> relations) throws Exception {
      InstanceInfo db = aws.instance(INSTANCE);
      Map<String, Long> expected = new LinkedHashMap<>();
      try (Connection up =
          DriverManager.getConnection(db.jdbcUrl(), db.masterUsername(), db.masterPassword())) {
        for (String table : TABLES) {
          expected.put(
              SourceTable.named(source, new QualifiedName("public", table)).relation(),
              count(up, "public." + table));
        }
      }
      if (!Set.copyOf(relations).equals(expected.keySet())) {
        throw new IllegalStateException(
            "source " + source + " feeds " + relations + ", expected " + expected.keySet());
      }
      MaterializeSettings m = mzSettings();
      long deadline = System.currentTimeMillis() + 30_000;
      String seen = "";
      try (Connection c = DriverManager.getConnection(m.jdbcUrl(), m.jdbcProperties())) {
        while (true) {
          Map<String, Long> counts = new LinkedHashMap<>();
          for (String relation : expected.keySet()) {
            counts.put(relation, count(c, SqlIdentifiers.quote(relation)));
          }
          String status = status(c, source);
          if ("running".equals(status) && counts.equals(expected)) {
            return;
          }
          seen = "status " + status + ", rows " + counts + ", expected " + expected;
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("end state not reached for " + source + ": " + seen);
          }
          Thread.sleep(200);
        }
      }
    }

    private static long count(Connection c, String relation) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + relation);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }

    private static String status(Connection c, String source) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT status FROM mz_internal.mz_source_statuses WHERE name = ?")) {
        ps.setString(1, source);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : "missing";
        }
      }
    }

    @Override
    public void close() {
      try {
        mz.close();
      } finally {
        aws.close();
      }
    }
  }

  // ------------------------------------------------------------------ the report

  static void report(Config config, List<Pair> pairs, String loadBefore) throws IOException {
    double waits = config.configuredWaits().toMillis() / 1000.0;
    List<Double> onramp = new ArrayList<>();
    List<Double> baseline = new ArrayList<>();
    List<Long> onrampDetect = new ArrayList<>();
    List<Long> baselineDetect = new ArrayList<>();
    for (Pair p : pairs) {
      onramp.add(p.onramp().wallS());
      baseline.add(p.baseline().wallS());
      onrampDetect.add(Math.round(p.onramp().detectionS() * 1000));
      baselineDetect.add(Math.round(p.baseline().detectionS() * 1000));
    }
    Collections.sort(onrampDetect);
    Collections.sort(baselineDetect);
    double onrampMedian = median(onramp);
    double baselineMedian = median(baseline);
    double ratio = onrampMedian / baselineMedian;
    double overS = onrampMedian - baselineMedian;
    double detectP50 = EmulatorFleetBench.percentile(onrampDetect, 0.50) / 1000.0;
    double detectP95 = EmulatorFleetBench.percentile(onrampDetect, 0.95) / 1000.0;
    double pollS = config.poll().toMillis() / 1000.0;
    String machine = machine(loadBefore);

    System.out.println();
    System.out.println(
        "onramp bench: overhead of one onboarding, onramp (OnboardingWorkflow on a Temporal dev"
            + " server) against the baseline (the same activities in a straight line, RdsWaiter)");
    System.out.printf(
        Locale.ROOT,
        "configured waits: modify %.1f s + reboot %.1f s + snapshot %.1f s = %.1f s; poll %.1f s;"
            + " %d run(s), alternating%n%s%n",
        config.modify().toMillis() / 1000.0,
        config.reboot().toMillis() / 1000.0,
        config.snapshot().toMillis() / 1000.0,
        waits,
        pollS,
        pairs.size(),
        machine);
    System.out.printf(
        Locale.ROOT,
        "%4s %6s %10s %11s %14s %12s %13s %7s%n",
        "run",
        "first",
        "onramp s",
        "baseline s",
        "config waits s",
        "onramp det s",
        "baseline det s",
        "events");
    for (Pair p : pairs) {
      System.out.printf(
          Locale.ROOT,
          "%4d %6s %10.2f %11.2f %14.1f %12.2f %13.2f %7d%n",
          p.run(),
          p.onrampFirst() ? "onramp" : "base",
          p.onramp().wallS(),
          p.baseline().wallS(),
          waits,
          p.onramp().detectionS(),
          p.baseline().detectionS(),
          p.onramp().events());
    }
    System.out.printf(
        Locale.ROOT,
        "onramp   median %.2f s (%.2f-%.2f), %.2f s over the configured waits%n",
        onrampMedian,
        Collections.min(onramp),
        Collections.max(onramp),
        onrampMedian - waits);
    System.out.printf(
        Locale.ROOT,
        "baseline median %.2f s (%.2f-%.2f), %.2f s over the configured waits%n",
        baselineMedian,
        Collections.min(baseline),
        Collections.max(baseline),
        baselineMedian - waits);
    System.out.printf(
        Locale.ROOT,
        "ratio of medians onramp / baseline %.3f (target <= 1.05: %s); onramp - baseline %.2f s"
            + " (target <= 2 s: %s)%n",
        ratio,
        ratio <= 1.05 ? "met" : "NOT met",
        overS,
        overS <= 2.0 ? "met" : "NOT met");
    System.out.printf(
        Locale.ROOT,
        "detection latency (reboot done -> next step): onramp p50 %.2f s, p95 %.2f s (target <="
            + " poll + 1 s = %.1f s: %s); baseline p50 %.2f s, p95 %.2f s%n",
        detectP50,
        detectP95,
        pollS + 1,
        detectP95 <= pollS + 1 ? "met" : "NOT met",
        EmulatorFleetBench.percentile(baselineDetect, 0.50) / 1000.0,
        EmulatorFleetBench.percentile(baselineDetect, 0.95) / 1000.0);
    String steps = breakdown(pairs);

    StringBuilder json = new StringBuilder("{");
    json.append(
        String.format(
            Locale.ROOT,
            "\"machine\":\"%s\",\"modifyS\":%.3f,\"rebootS\":%.3f,\"snapshotS\":%.3f,"
                + "\"configuredWaitsS\":%.3f,\"pollS\":%.3f,\"runs\":[",
            machine.replace("\"", "'"),
            config.modify().toMillis() / 1000.0,
            config.reboot().toMillis() / 1000.0,
            config.snapshot().toMillis() / 1000.0,
            waits,
            pollS));
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"run\":%d,\"first\":\"%s\",\"onrampS\":%.3f,\"baselineS\":%.3f,"
                      + "\"onrampDetectionS\":%.3f,\"baselineDetectionS\":%.3f,"
                      + "\"historyEvents\":%d}",
                  p.run(),
                  p.onrampFirst() ? "onramp" : "baseline",
                  p.onramp().wallS(),
                  p.baseline().wallS(),
                  p.onramp().detectionS(),
                  p.baseline().detectionS(),
                  p.onramp().events()));
    }
    json.append(
        String.format(
            Locale.ROOT,
            "],\"onramp\":{\"medianS\":%.3f,\"minS\":%.3f,\"maxS\":%.3f},"
                + "\"baseline\":{\"medianS\":%.3f,\"minS\":%.3f,\"maxS\":%.3f},"
                + "\"ratioOfMedians\":%.4f,\"onrampMinusBaselineS\":%.3f,"
                + "\"onrampOverConfiguredWaitsS\":%.3f,\"baselineOverConfiguredWaitsS\":%.3f,"
                + "\"detectionP50S\":%.3f,\"detectionP95S\":%.3f,"
                + "\"ratioTargetMet\":%b,\"absoluteTargetMet\":%b,\"detectionTargetMet\":%b,"
                + "\"steps\":[%s]}%n",
            onrampMedian,
            Collections.min(onramp),
            Collections.max(onramp),
            baselineMedian,
            Collections.min(baseline),
            Collections.max(baseline),
            ratio,
            overS,
            onrampMedian - waits,
            baselineMedian - waits,
            detectP50,
            detectP95,
            ratio <= 1.05,
            overS <= 2.0,
            detectP95 <= pollS + 1,
            steps));
    Path out = Path.of("target", "overhead-bench.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    System.out.println("written " + out.toAbsolutePath());
  }

  /**
   * Where the difference goes: per step (the two sides line up call for call), the median over the
   * runs of its time since the previous step ended, on each side. Prints the table; returns it as
   * JSON array elements.
   */
  static String breakdown(List<Pair> pairs) {
    List<String> types = new ArrayList<>(pairs.get(0).onramp().types());
    types.add("(end: result to the caller)");
    System.out.println(
        "per step, median over the runs of the time since the previous step ended; onramp's split"
            + " into the workflow task that scheduled it, its dispatch (a poll: and its retries)"
            + " and its last attempt's run:");
    System.out.printf(
        Locale.ROOT,
        "%-28s %10s %12s %9s %9s %10s %10s %9s%n",
        "step",
        "onramp ms",
        "baseline ms",
        "diff ms",
        "attempts",
        "wf task ms",
        "to start ms",
        "run ms");
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < types.size(); i++) {
      List<Double> o = new ArrayList<>();
      List<Double> b = new ArrayList<>();
      List<Double> d = new ArrayList<>();
      List<Double> task = new ArrayList<>();
      List<Double> toStart = new ArrayList<>();
      List<Double> run = new ArrayList<>();
      int attempts = 1;
      for (Pair p : pairs) {
        long om = p.onramp().stepMillis()[i];
        long bm = p.baseline().stepMillis()[i];
        o.add((double) om);
        b.add((double) bm);
        d.add((double) (om - bm));
        List<Step> steps = p.onramp().steps();
        if (i < steps.size()) {
          Step st = steps.get(i);
          attempts = Math.max(attempts, st.attempts());
          long prev = i == 0 ? p.onramp().startedMillis() : steps.get(i - 1).endedMillis();
          // The workflow task that scheduled it, the dispatch (and a poll's retries), the run.
          task.add((double) (st.scheduledMillis() - prev));
          toStart.add((double) (st.startedMillis() - st.scheduledMillis()));
          run.add((double) (st.endedMillis() - st.startedMillis()));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-28s %10.0f %12.0f %9.0f %9d %10s %10s %9s%n",
          types.get(i),
          median(o),
          median(b),
          median(d),
          attempts,
          task.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", median(task)),
          toStart.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", median(toStart)),
          run.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", median(run)));
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"step\":\"%s\",\"onrampMs\":%.0f,\"baselineMs\":%.0f,\"diffMs\":%.0f,"
                      + "\"maxAttempts\":%d}",
                  types.get(i),
                  median(o),
                  median(b),
                  median(d),
                  attempts));
    }
    return json.toString();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Cores, memory, load average (before and now), Java, the SDKs and the Temporal CLI. */
  static String machine(String loadBefore) {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "%d cores, %s MB memory, %d MB max heap, %s %s, Java %s, Temporal SDK %s, AWS SDK %s,"
            + " Temporal CLI %s, load average %s before, %s after",
        rt.availableProcessors(),
        memTotalMb(),
        rt.maxMemory() / (1024 * 1024),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        io.temporal.serviceclient.Version.LIBRARY_VERSION,
        software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION,
        temporalCliVersion(),
        loadBefore,
        FleetBench.loadAverage());
  }

  private static String memTotalMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return String.valueOf(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "?";
  }

  private static String temporalCliVersion() {
    try {
      Process p =
          new ProcessBuilder(FleetBench.temporalCli().toString(), "--version")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out.replaceFirst("^temporal version ", "");
    } catch (Exception e) {
      return "?";
    }
  }
}
