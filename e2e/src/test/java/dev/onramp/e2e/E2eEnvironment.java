package dev.onramp.e2e;

import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbClusterSpec;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.rds.Timings;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.sandbox.materialize.SyntaxGeneration;
import dev.onramp.worker.core.TestFaultPoints;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything an end-to-end test runs against: a real Temporal server (the Temporal CLI's dev
 * server, installed into .tools/ by scripts/install-tools), the AWS emulator with one RDS instance
 * whose logical replication is off, and the Materialize stand-in.
 */
final class E2eEnvironment implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final String INSTANCE = "e2e-db";
  static final String DATABASE = "shop";

  /** Upper case, a space, a quote and a semicolon: proves every identifier is quoted. */
  static final String ODD_TABLE = "Line \"Items\"; x";

  final Path dir;
  final TemporalDevServer temporal;
  volatile AwsEmulator aws;
  volatile MaterializeStandIn mz;
  private final Duration rebootTakes;
  final String taskQueue = "e2e-" + UUID.randomUUID();
  private final List<Process> workers = new ArrayList<>();

  /**
   * {@code onramp start ... --wait} for this environment's instance with the IMMEDIATE policy, 1 s
   * polls and 5 min bounds; {@code extra} flags go before {@code --wait}.
   */
  String[] startImmediate(String database, String tables, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--temporal-address",
                temporal.address(),
                "--task-queue",
                taskQueue,
                "--region",
                REGION,
                "--instance",
                INSTANCE,
                "--database",
                database,
                "--tables",
                tables,
                "--reboot-policy",
                "IMMEDIATE",
                "--poll-interval",
                "1s",
                "--max-wait",
                "5m",
                "--reverify-every",
                "1h"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--wait", "--timeout", "5m"));
    return args.toArray(String[]::new);
  }

  E2eEnvironment(Path dir, Duration rebootTakes) throws Exception {
    this(dir, rebootTakes, null, List.of(), List.of(), false);
  }

  /** With the dev server's Web UI ({@link TemporalDevServer#webUi()}), for the browser test. */
  static E2eEnvironment withWebUi(Path dir, Duration rebootTakes) throws Exception {
    return new E2eEnvironment(dir, rebootTakes, null, List.of(), List.of(), true);
  }

  /** {@code syntax}: the Materialize generation the stand-in plays (null: its default). */
  E2eEnvironment(Path dir, Duration rebootTakes, SyntaxGeneration syntax) throws Exception {
    this(dir, rebootTakes, syntax, List.of(), List.of(), false);
  }

  /** With {@code moreInstances} besides {@link #INSTANCE} (a fleet's), each its own PostgreSQL. */
  E2eEnvironment(Path dir, Duration rebootTakes, List<DbInstanceSpec> moreInstances)
      throws Exception {
    this(dir, rebootTakes, null, moreInstances, List.of(), false);
  }

  /** With Aurora {@code clusters} besides {@link #INSTANCE} (each writer its own PostgreSQL). */
  static E2eEnvironment withClusters(
      Path dir,
      Duration rebootTakes,
      List<DbInstanceSpec> moreInstances,
      List<DbClusterSpec> clusters)
      throws Exception {
    return new E2eEnvironment(dir, rebootTakes, null, moreInstances, clusters, false);
  }

  private E2eEnvironment(
      Path dir,
      Duration rebootTakes,
      SyntaxGeneration syntax,
      List<DbInstanceSpec> moreInstances,
      List<DbClusterSpec> clusters,
      boolean webUi)
      throws Exception {
    this.dir = dir;
    this.rebootTakes = rebootTakes;
    System.setProperty("aws.accessKeyId", "e2e");
    System.setProperty("aws.secretAccessKey", "e2e");
    System.setProperty("aws.region", REGION);
    temporal =
        TemporalDevServer.start(temporalCli(), Files.createDirectories(dir.resolve("t")), webUi);
    AwsEmulator.Builder awsBuilder =
        AwsEmulator.builder()
            .stateDir(dir.resolve("aws"))
            .region(REGION)
            .timings(new Timings(Duration.ofMillis(500), Duration.ofMillis(300), rebootTakes))
            .instance(
                DbInstanceSpec.builder(INSTANCE)
                    .dbName(DATABASE)
                    .publiclyAccessible(true)
                    .seedSql(
                        "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)",
                        "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 100) g",
                        "CREATE TABLE \"Line \"\"Items\"\"; x\" (id int PRIMARY KEY, qty int)",
                        "INSERT INTO \"Line \"\"Items\"\"; x\" VALUES (1, 5), (2, 7)")
                    .build());
    moreInstances.forEach(awsBuilder::instance);
    clusters.forEach(awsBuilder::cluster);
    aws = awsBuilder.start();
    MaterializeStandIn.Builder standIn =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .egressCidrs(List.of("127.0.0.1/32"));
    mz = (syntax == null ? standIn : standIn.syntax(syntax)).start();
  }

  /**
   * Stops the AWS emulator (its DB instances' PostgreSQL servers with it) and starts it again on
   * the same port from its state directory, as a restart of the service would look to a worker.
   */
  void restartAws() {
    int port = aws.endpoint().getPort();
    aws.close();
    aws =
        AwsEmulator.builder()
            .stateDir(dir.resolve("aws"))
            .region(REGION)
            .port(port)
            .timings(new Timings(Duration.ofMillis(500), Duration.ofMillis(300), rebootTakes))
            .start();
  }

  /** Stops the Materialize stand-in and starts it again on the same port from its state. */
  void restartMaterialize() throws IOException, InterruptedException {
    restartMaterialize(Duration.ZERO);
  }

  /** Stops the stand-in, leaves it down for {@code down}, then starts it again as above. */
  void restartMaterialize(Duration down) throws IOException, InterruptedException {
    int port = mz.port();
    String password = mz.password();
    mz.close();
    Thread.sleep(down.toMillis());
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .port(port)
            .password(password)
            .egressCidrs(List.of("127.0.0.1/32"))
            .start();
  }

  /** The Temporal CLI: ONRAMP_TEMPORAL_CLI, .tools/ of this checkout, or PATH. */
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
        "no Temporal CLI: run scripts/install-tools (scripts/test does) or set ONRAMP_TEMPORAL_CLI");
  }

  InstanceInfo instance() {
    return aws.instance(INSTANCE);
  }

  Connection upstreamAsMaster() throws SQLException {
    InstanceInfo i = instance();
    return DriverManager.getConnection(i.jdbcUrl(), i.masterUsername(), i.masterPassword());
  }

  Connection materialize() throws SQLException {
    return DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
  }

  /** verify-full against the stand-in's CA when it offers TLS. */
  String mzSslMode() {
    return mz.ssl() ? "verify-full" : "disable";
  }

  String mzCaCertificate() {
    return mz.caCertificate() == null ? "" : mz.caCertificate().toString();
  }

  /** Starts a worker JVM; its output goes to a log file in the test's directory. */
  Process startWorker(String name) throws IOException, InterruptedException {
    return startWorker(name, Map.of());
  }

  /**
   * Starts a worker JVM with extra environment variables (the proof suites' fault points); returns
   * once it polls, or once it halted at a fault point before it said so.
   */
  Process startWorker(String name, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = workerCommand();
    pb.environment().putAll(environment);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    workers.add(p);
    awaitReady(p, log, name);
    return p;
  }

  /** A worker with extra environment variables (and the AWS SDK call timeout of the storms). */
  Process startWorker(String name, Map<String, String> environment, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder pb = workerCommand();
    pb.environment().putAll(environment);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    workers.add(p);
    awaitReady(p, log, log.getFileName().toString());
    return p;
  }

  /**
   * A worker JVM that loads everything and connects, then waits for one line on its standard input
   * ({@code go [fault points]}) before it polls: a chain of worker deaths starts the next worker
   * while the current one runs, so a death costs no JVM start-up ({@link WorkerProcess}).
   */
  Process startWarmWorker(Path log, String warmUpWorkflowId) throws IOException {
    return startWarmWorker(log, warmUpWorkflowId, Map.of());
  }

  /** A warm worker (above) with extra environment variables (e.g. the webhook's URL). */
  Process startWarmWorker(Path log, String warmUpWorkflowId, Map<String, String> environment)
      throws IOException {
    ProcessBuilder pb = workerCommand();
    pb.environment().putAll(environment);
    pb.command().add(WorkerProcess.AWAIT_GO);
    pb.command().add(warmUpWorkflowId);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    workers.add(p);
    return p;
  }

  /** Returns once the worker polls, or once it halted at a fault point before it said so. */
  static void awaitReady(Process p, Path log, String name)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.readString(log).contains("worker ready")) {
      if (!p.isAlive() && Files.readString(log).contains(TestFaultPoints.MARK)) {
        break;
      }
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "worker " + name + " did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  private ProcessBuilder workerCommand() {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            WorkerProcess.class.getName(),
            temporal.address(),
            taskQueue,
            aws.endpoint().toString(),
            mz.host(),
            String.valueOf(mz.port()),
            mz.user(),
            mzSslMode(),
            mzCaCertificate(),
            aws.caCertificate().toString());
    pb.environment().put("MZ_PASSWORD", mz.password());
    pb.environment().remove(TestFaultPoints.ENV);
    return pb;
  }

  @Override
  public void close() {
    workers.forEach(Process::destroyForcibly);
    mz.close();
    aws.close();
    temporal.close();
  }
}
