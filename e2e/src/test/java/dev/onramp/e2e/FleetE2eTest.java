package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.ExitCodes;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.rds.RebootLog;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of 20 databases on 20 instances, each instance its own PostgreSQL server in the AWS
 * emulator (the emulator's only mode: no shared server), logical replication off on every one, so
 * every onboarding reboots its instance. With a reboot limit of 3 the emulator's reboot log never
 * shows more than 3 instances rebooting at once, and the one database that fails preflight (a table
 * that does not exist) stops none of the other 19, which stream into Materialize.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetE2eTest {
  static final int DATABASES = 20;
  static final int BROKEN = 7;

  @TempDir static Path dir;
  static E2eEnvironment env;

  static String instance(int i) {
    return String.format("fleet-%02d", i);
  }

  static String database(int i) {
    return String.format("shop_%02d", i);
  }

  @BeforeAll
  static void start() throws Exception {
    List<DbInstanceSpec> fleet = new ArrayList<>();
    for (int i = 0; i < DATABASES; i++) {
      fleet.add(
          DbInstanceSpec.builder(instance(i))
              .dbName(database(i))
              .publiclyAccessible(true)
              .seedSql(
                  "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)",
                  "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 20) g")
              .build());
    }
    env = new E2eEnvironment(dir, Duration.ofSeconds(2), fleet);
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  static String[] startFleet(Path file, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                "--fleet",
                file.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  static String fleetFile(String name, String limits, String databases) {
    return "name: "
        + name
        + "\n"
        + limits
        + "defaults:\n"
        + "  region: us-east-1\n"
        + "  tables: {mode: TABLES, names: [orders]}\n"
        + "  rebootPolicy: IMMEDIATE\n"
        + "  waits: {awsPollInterval: 1s, awsMaxWait: 5m, snapshotPollInterval: 1s}\n"
        + "  reverifyEvery: 1h\n"
        + "historyEventsPerRun: 100\n"
        + "databases:\n"
        + databases;
  }

  @Test
  @Order(1)
  void badFleetsAreRefusedNamingTheItemAndStartNothing() throws Exception {
    String one = "  - {dbInstanceId: " + instance(0) + ", database: " + database(0) + "}\n";
    Path duplicate = dir.resolve("duplicate.yaml");
    Files.writeString(duplicate, fleetFile("dup", "limits: {reboots: 3}\n", one + one));
    CliRun dup = CliRun.of(startFleet(duplicate));
    assertThat(dup.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(dup.printed())
        .contains("databases[1]: us-east-1/fleet-00/shop_00 is already databases[0]");

    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(
        unknown,
        fleetFile(
            "unknown",
            "limits: {reboots: 3}\n",
            one + "  - {dbInstanceId: " + instance(1) + ", database: x, tabels: [orders]}\n"));
    CliRun unk = CliRun.of(startFleet(unknown));
    assertThat(unk.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unk.printed()).contains("databases[1]").contains("unknown field 'tabels'");

    Path zero = dir.resolve("zero.yaml");
    Files.writeString(zero, fleetFile("zero", "limits: {reboots: 0}\n", one));
    CliRun z = CliRun.of(startFleet(zero));
    assertThat(z.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(z.printed()).contains("limits.reboots: 0 would start nothing");

    // Nothing started: no workflow at all on the server, no reboot in the emulator.
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporal.address()).build());
    try {
      var listed =
          stubs
              .blockingStub()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder().setNamespace("default").build());
      assertThat(listed.getExecutionsList()).isEmpty();
    } finally {
      stubs.shutdownNow();
    }
    assertThat(env.aws.rebootLog().reboots()).isEmpty();
  }

  @Test
  @Order(2)
  void twentyDatabasesNeverMoreThanThreeRebootingAndOneFailureStopsNoOther() throws Exception {
    StringBuilder dbs = new StringBuilder();
    for (int i = 0; i < DATABASES; i++) {
      dbs.append("  - {dbInstanceId: ")
          .append(instance(i))
          .append(", database: ")
          .append(database(i))
          .append(
              i == BROKEN ? ", tables: {mode: TABLES, names: [orders, no_such_table]}}\n" : "}\n");
    }
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(
        file, fleetFile("twenty", "limits: {onboardings: 20, reboots: 3}\n", dbs.toString()));

    CliRun run = CliRun.of(startFleet(file, "--wait", "--timeout", "20m"));
    System.out.println(run.printed());

    // One failure: the exit code says so, the summary table names it, the rest succeeded.
    assertThat(run.code()).as(run.printed()).isEqualTo(ExitCodes.ONBOARDING_FAILED);
    assertThat(run.out()).contains("19 succeeded, 1 failed");
    String brokenRow =
        run.out().lines().filter(l -> l.contains(instance(BROKEN))).findFirst().orElseThrow();
    assertThat(brokenRow).contains("FAILED").contains("no_such_table");
    assertThat(run.out().lines().filter(l -> l.contains("SUCCEEDED")).count()).isEqualTo(19);

    // onramp fleet status shows the ended fleet's summary; pause has no running fleet to stop.
    String[] temporal = {
      "--temporal-address", env.temporal.address(), "--task-queue", env.taskQueue
    };
    CliRun status = CliRun.of(concat(new String[] {"fleet", "status", "twenty"}, temporal));
    assertThat(status.code()).as(status.printed()).isEqualTo(ExitCodes.OK);
    assertThat(status.out()).contains("fleet/twenty").contains("19 succeeded").contains("1 failed");
    CliRun pause = CliRun.of(concat(new String[] {"fleet", "pause", "twenty"}, temporal));
    assertThat(pause.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(pause.printed()).contains("no running fleet fleet/twenty");

    RebootLog log = env.aws.rebootLog();
    List<RebootLog.Reboot> reboots = log.reboots();
    System.out.println("reboots: " + reboots + "; most at once: " + log.mostAtOnce());
    assertThat(reboots.stream().map(RebootLog.Reboot::instanceId).distinct().count())
        .isEqualTo(DATABASES - 1);
    assertThat(reboots).allMatch(r -> r.endedMillis() > 0);
    assertThat(log.mostAtOnce()).isLessThanOrEqualTo(3);
    // The budget was used, not idled: 19 reboots of 2 s with 3 at a time overlap somewhere.
    assertThat(log.mostAtOnce()).isGreaterThanOrEqualTo(2);

    // historyEventsPerRun 100: the fleet continued as new on the way, on a real server, and
    // still saw every member's end and every slot's release.
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporal.address()).build());
    try {
      var runs =
          stubs
              .blockingStub()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace("default")
                      .setQuery("WorkflowId = 'fleet/twenty'")
                      .build());
      System.out.println("fleet runs: " + runs.getExecutionsCount());
      assertThat(runs.getExecutionsCount()).isGreaterThanOrEqualTo(2);
    } finally {
      stubs.shutdownNow();
    }

    // Every other database streams: its source exists in Materialize.
    try (var c = env.materialize();
        var st = c.createStatement();
        var rs =
            st.executeQuery("SELECT count(*) FROM mz_sources WHERE name LIKE 'shop_%_source'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(DATABASES - 1);
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
