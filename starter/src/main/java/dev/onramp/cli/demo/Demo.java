package dev.onramp.cli.demo;

import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.materialize.SourceTable;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.cli.Durations;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.render.Watcher;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.rds.Timings;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.worker.ProductionActivities;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.WaitSettings;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.client.WorkflowFailedException;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole product on one machine: Temporal, the AWS emulator with one RDS instance whose logical
 * replication is off, the Materialize stand-in, and a worker; then one onboarding, followed live,
 * and proof that data flows.
 */
public final class Demo {
  static final String REGION = "us-east-1";
  static final String INSTANCE = "demo-db";
  static final String DATABASE = "shop";
  static final String TASK_QUEUE = "onramp-demo";
  public static final List<String> SEED =
      List.of(
          "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text)",
          "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id),"
              + " item text NOT NULL, amount numeric(10,2) NOT NULL,"
              + " created_at timestamptz NOT NULL DEFAULT now())",
          "INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com'"
              + " FROM generate_series(1, 50) g",
          "INSERT INTO orders (id, customer_id, item, amount)"
              + " SELECT g, 1 + g % 50, 'item ' || g, (g % 97) + 0.99 FROM generate_series(1, 500) g");

  /** What the person chose on the command line. */
  /**
   * What the person chose on the command line; {@code keep}: everything keeps running after the
   * onboarding until Ctrl-C, on {@code ports}.
   */
  public record Options(
      Path stateDir,
      boolean interactive,
      Duration rebootTakes,
      boolean terminal,
      boolean keep,
      DemoTemporal.Ports ports) {
    public Options {
      ports = ports == null ? DemoTemporal.Ports.ANY : ports;
    }

    public Options(Path stateDir, boolean interactive, Duration rebootTakes, boolean terminal) {
      this(stateDir, interactive, rebootTakes, terminal, false, DemoTemporal.Ports.ANY);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final BufferedReader in;

  public Demo(Options options, PrintStream out, BufferedReader in) {
    this.options = options;
    this.out = out;
    this.in = in;
  }

  public int run() throws Exception {
    Path state = options.stateDir();
    Instant began = Instant.now();
    DemoLogging.toFile(state.resolve("demo.log"));
    // The emulator accepts any credentials; the SDK's default chain reads these properties.
    System.setProperty("aws.accessKeyId", "onramp-demo");
    System.setProperty("aws.secretAccessKey", "onramp-demo");
    System.setProperty("aws.region", REGION);

    out.println("onramp demo: onboarding an RDS for PostgreSQL database into Materialize,");
    out.println("against local stand-ins. Logs: " + state.resolve("demo.log"));
    out.println();
    // Ctrl-C ends the JVM without unwinding this method: the hook stops what the demo started
    // (the Temporal dev server is a child process, which would otherwise outlive it).
    Running running = new Running();
    Thread onCtrlC = new Thread(running::stopAll, "onramp-demo-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      return run(running, state, began);
    } finally {
      running.stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException alreadyStopping) {
        // Ctrl-C: the hook runs (or ran) instead.
      }
    }
  }

  private int run(Running running, Path state, Instant began) throws Exception {
    out.print("  starting Temporal ... ");
    out.flush();
    DemoTemporal temporal = running.add(DemoTemporal.choose(state, options.ports()));
    out.println(temporal.description());
    if (temporal.webUiWorkflows() != null) {
      out.println("  Web UI: " + temporal.webUiWorkflows());
    }
    out.print("  starting the AWS emulator ... ");
    out.flush();
    AwsEmulator aws = running.add(startAws(state));
    InstanceInfo db = aws.instance(INSTANCE);
    out.println(
        "RDS instance "
            + INSTANCE
            + " (PostgreSQL 16, database "
            + DATABASE
            + ", 550 rows, rds.logical_replication off) at "
            + aws.endpoint());
    out.print("  starting the Materialize stand-in ... ");
    out.flush();
    MaterializeStandIn mz = running.add(startMaterialize(state));
    out.println(mz.host() + ":" + mz.port() + " (" + mz.syntax().version() + ")");
    MaterializeSettings mzSettings =
        new MaterializeSettings(
            mz.host(),
            mz.port(),
            mz.user(),
            mz.password(),
            "materialize",
            mz.ssl() ? "verify-full" : "disable",
            mz.ssl() ? mz.caCertificate().toString() : null);
    ProductionActivities activities =
        running.add(
            new ProductionActivities(
                new AwsSettings(aws.endpoint(), Duration.ofSeconds(30), 8),
                mzSettings,
                // Verified as RDS is: the emulator's CA stands in for global-bundle.pem.
                new PgTls("verify-full", aws.caCertificate().toString()),
                Map.of(),
                temporal.client(),
                TASK_QUEUE));
    TemporalWorker worker =
        new TemporalWorker(
            temporal.client(), TASK_QUEUE, activities.implementations(), Duration.ofSeconds(10));
    worker.start();
    running.add(worker::stop);
    out.println("  worker polling task queue " + TASK_QUEUE);
    out.println();
    int code = onboard(temporal, db, mzSettings, began);
    if (options.keep()) {
      keepRunning(temporal, aws, mz);
    }
    return code;
  }

  /** --keep: says what runs where, then waits for Ctrl-C (the shutdown hook stops it all). */
  private void keepRunning(DemoTemporal temporal, AwsEmulator aws, MaterializeStandIn mz)
      throws InterruptedException {
    out.println();
    out.println("--keep: everything keeps running until you press Ctrl-C.");
    if (temporal.webUiWorkflows() != null) {
      out.println("  Web UI:     " + temporal.webUiWorkflows());
    }
    out.println("  Temporal:   " + temporal.description());
    out.println("  AWS:        " + aws.endpoint() + " (any access key)");
    out.println("  Materialize: " + mz.host() + ":" + mz.port() + " user " + mz.user());
    out.println("  task queue: " + TASK_QUEUE);
    out.println("Press Ctrl-C to stop.");
    out.flush();
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /** What the demo started, stopped in reverse order, once, by whichever comes first. */
  private final class Running {
    private final java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();

    synchronized <T extends AutoCloseable> T add(T thing) {
      started.push(thing);
      return thing;
    }

    synchronized void stopAll() {
      boolean any = !started.isEmpty();
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception e) {
          // Keep stopping the rest; the log has the details.
          org.slf4j.LoggerFactory.getLogger(Demo.class).warn("while stopping the demo", e);
        }
      }
      if (any && options.keep()) {
        out.println("onramp demo: stopped.");
        out.flush();
      }
    }
  }

  private AwsEmulator startAws(Path state) {
    Duration reboot = options.rebootTakes();
    return AwsEmulator.builder()
        .stateDir(state.resolve("aws"))
        .region(REGION)
        .timings(new Timings(Duration.ofSeconds(2), Duration.ofSeconds(1), reboot))
        .instance(
            DbInstanceSpec.builder(INSTANCE)
                .dbName(DATABASE)
                .publiclyAccessible(true)
                .seedSql(SEED.toArray(String[]::new))
                .build())
        .start();
  }

  private static MaterializeStandIn startMaterialize(Path state) throws Exception {
    return MaterializeStandIn.builder()
        .stateDir(state.resolve("materialize"))
        .egressCidrs(List.of("127.0.0.1/32"))
        .start();
  }

  private int onboard(DemoTemporal temporal, InstanceInfo db, MaterializeSettings mz, Instant began)
      throws Exception {
    OnboardingClient client = new OnboardingClient(temporal.client(), TASK_QUEUE);
    OnboardingRequest request =
        OnboardingRequest.of(
                REGION, INSTANCE, DATABASE, TableSelection.tables("orders", "customers"))
            .withRebootPolicy(RebootPolicy.APPROVAL)
            .withWaits(
                new WaitSettings(
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(30)));
    if (!temporal.supportsSchedules()) {
      request = request.withReverifyEvery(Duration.ZERO);
    }
    String id = client.start(request);
    out.println("started workflow " + id);
    boolean interactive = options.interactive();
    Watcher watcher = new Watcher(out, options.terminal() && !interactive, Duration.ofMillis(500));
    boolean[] decided = {false};
    OnboardingProgress last =
        watcher.follow(
            () -> {
              OnboardingProgress p = client.progress(id);
              if (p.status() == OnboardingStatus.WAITING_FOR_APPROVAL && !decided[0]) {
                decided[0] = true;
                decide(client, id);
              }
              return p;
            },
            () -> client.closed(id));
    out.println();
    if (last.status() != OnboardingStatus.COMPLETED) {
      String why = failure(client, id);
      out.println("onboarding " + last.status() + ": " + why);
      return last.status() == OnboardingStatus.CANCELLED
          ? ExitCodes.CANCELLED
          : ExitCodes.ONBOARDING_FAILED;
    }
    OnboardingResult result = client.awaitResult(id, Duration.ofSeconds(30));
    // The ledger says what onramp made and what it found in place (onramp show prints it too).
    out.println("onramp's ledger (created, changed and reused):");
    dev.onramp.cli.render.LedgerView.sentences(result.ledger())
        .forEach(line -> out.println("  " + line));
    report(result, db, mz);
    out.println();
    out.println(
        "done in "
            + Durations.format(Duration.between(began, Instant.now()))
            + ". Try: ./onramp sandbox, then ./onramp start --help");
    return ExitCodes.OK;
  }

  private void decide(OnboardingClient client, String id) {
    if (!options.interactive()) {
      client.approve(id, "onramp-demo (automatic; --interactive to decide yourself)");
      return;
    }
    out.print(
        "\nThe workflow asks to reboot "
            + INSTANCE
            + " to apply rds.logical_replication."
            + " Reboot now? [y/N] ");
    out.flush();
    String answer;
    try {
      answer = in.readLine();
    } catch (java.io.IOException e) {
      answer = null;
    }
    if (answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
      client.approve(id, System.getProperty("user.name", "demo user"));
    } else {
      client.reject(id, System.getProperty("user.name", "demo user"), "declined in the demo");
    }
  }

  private static String failure(OnboardingClient client, String id) {
    try {
      client.awaitResult(id, Duration.ofSeconds(10));
      return "completed";
    } catch (WorkflowFailedException e) {
      Throwable t = e.getCause();
      return t instanceof io.temporal.failure.ApplicationFailure af
          ? af.getOriginalMessage()
          : String.valueOf(t);
    } catch (Exception e) {
      return e.getMessage();
    }
  }

  /** The source's status, per-table row counts read from Materialize, and one streamed row. */
  private void report(OnboardingResult result, InstanceInfo db, MaterializeSettings mz)
      throws SQLException, InterruptedException {
    out.println(
        "Materialize source "
            + result.source()
            + " ("
            + result.snapshotRecords()
            + " snapshot records), cluster size "
            + result.clusterSize()
            + ":");
    try (Connection m = DriverManager.getConnection(mz.jdbcUrl(), mz.jdbcProperties())) {
      out.println("  status: " + sourceStatus(m, result.source()));
      for (String relation : result.tables()) {
        out.println("  " + relation + ": " + count(m, relation) + " rows");
      }
      String marker = "streamed at " + Instant.now();
      Instant inserted;
      try (Connection up =
              DriverManager.getConnection(db.jdbcUrl(), db.masterUsername(), db.masterPassword());
          PreparedStatement ps =
              up.prepareStatement(
                  "INSERT INTO orders (id, customer_id, item, amount) VALUES (100001, 1, ?, 42.00)")) {
        ps.setString(1, marker);
        ps.executeUpdate();
        inserted = Instant.now();
      }
      out.println("  inserted upstream: orders id 100001, item '" + marker + "'");
      // Relations are named after their source (see SourceTable).
      String orders =
          SourceTable.named(result.source(), new QualifiedName("public", "orders")).relation();
      String select = "SELECT item FROM " + SqlIdentifiers.quote(orders) + " WHERE id = 100001";
      Instant deadline = inserted.plusSeconds(60);
      while (Instant.now().isBefore(deadline)) {
        try (PreparedStatement ps = m.prepareStatement(select);
            ResultSet rs = ps.executeQuery()) {
          if (rs.next() && marker.equals(rs.getString(1))) {
            out.println(
                "  arrived in Materialize after "
                    + Duration.between(inserted, Instant.now()).toMillis()
                    + " ms: "
                    + select
                    + " -> '"
                    + rs.getString(1)
                    + "'");
            return;
          }
        }
        Thread.sleep(200);
      }
      out.println("  the row did not arrive within 60 s; see the logs");
    }
  }

  private static String sourceStatus(Connection m, String source) throws SQLException {
    try (PreparedStatement ps =
        m.prepareStatement("SELECT status FROM mz_internal.mz_source_statuses WHERE name = ?")) {
      ps.setString(1, source);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "unknown";
      }
    }
  }

  private static long count(Connection m, String relation) throws SQLException {
    try (ResultSet rs =
        m.createStatement()
            .executeQuery("SELECT count(*) FROM " + SqlIdentifiers.quote(relation))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
