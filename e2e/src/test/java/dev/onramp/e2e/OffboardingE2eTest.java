package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.Onramp;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.client.OffboardingClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Offboarding through the CLI against a worker process, a real Temporal server and the stand-ins:
 * what onboarding created goes and what it changed comes back, so the upstream catalog, the
 * security group, the parameter group and the Materialize catalog are as they were before; what
 * existed before stays; an unreachable upstream leaves only its part over, finished by a second
 * run; a target never onboarded is refused with nothing touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OffboardingE2eTest {
  static final String TARGET = "us-east-1/" + E2eEnvironment.INSTANCE + "/shop";

  @TempDir static Path dir;
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void aTargetNeverOnboardedIsRefusedClearlyWithNothingTouched() throws Exception {
    Map<String, List<String>> before = snapshot();

    CliRun run = offboard(TARGET, "--restore-parameter-group", "--reboot-policy", "IMMEDIATE");

    assertThat(run.code()).as(run.printed()).isEqualTo(4);
    assertThat(run.err())
        .contains("us-east-1/e2e-db/shop was never onboarded")
        .contains("Nothing was touched")
        .doesNotContain("\tat ");
    CliRun unknown = offboard("us-east-1/no-such-db/shop");
    assertThat(unknown.code()).as(unknown.printed()).isEqualTo(4);
    assertThat(unknown.err()).contains("us-east-1/no-such-db/shop was never onboarded");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void offboardingLeavesTheCatalogsSecurityGroupAndParameterGroupAsTheyWereBefore()
      throws Exception {
    Map<String, List<String>> before = snapshot();
    onboard("orders,\"Line \"\"Items\"\"; x\"");
    assertThat(snapshot()).isNotEqualTo(before);

    CliRun run = offboard(TARGET, "--restore-parameter-group", "--reboot-policy", "IMMEDIATE");

    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out())
        .contains("removed")
        .contains("mz source shop_source")
        .contains("publication mz_source")
        .contains("complete");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void aClusterAndPublicationThatExistedBeforeOnboardingStayAfterOffboarding() throws Exception {
    try (Connection mz = env.materialize();
        Statement st = mz.createStatement()) {
      st.execute("CREATE CLUSTER onramp_ingest (SIZE = '25cc')");
    }
    try (Connection up = env.upstreamAsMaster();
        Statement st = up.createStatement()) {
      st.execute("ALTER TABLE orders REPLICA IDENTITY FULL");
      st.execute("CREATE PUBLICATION mz_source FOR TABLE orders");
    }
    Map<String, List<String>> before = snapshot();
    onboard("orders", "second");

    CliRun run = offboard(TARGET, "--restore-parameter-group", "--reboot-policy", "IMMEDIATE");

    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out())
        .containsPattern("kept not ours +mz cluster onramp_ingest")
        .containsPattern("kept not ours +publication mz_source")
        // The ledger starts after the last complete offboarding: the earlier run's table is not
        // in it.
        .doesNotContain("Line");
    assertThat(snapshot()).isEqualTo(before);
    try (Connection up = env.upstreamAsMaster();
        Statement st = up.createStatement()) {
      st.execute("DROP PUBLICATION mz_source");
      st.execute("ALTER TABLE orders REPLICA IDENTITY DEFAULT");
    }
    try (Connection mz = env.materialize();
        Statement st = mz.createStatement()) {
      st.execute("DROP CLUSTER onramp_ingest");
    }
  }

  @Test
  @Order(4)
  void withTheUpstreamStoppedTheOtherPartsFinishAndTheSlotIsLeftOverUntilASecondRun()
      throws Exception {
    Map<String, List<String>> before = snapshot();
    onboard("orders", "third");
    List<String> slots = upstream("SELECT slot_name FROM pg_replication_slots");
    assertThat(slots).hasSize(1);

    env.aws.postgres(E2eEnvironment.INSTANCE).stop();
    CliRun first;
    try {
      first = offboard(TARGET, "--unreachable-after", "20s");
    } finally {
      env.aws.postgres(E2eEnvironment.INSTANCE).start();
    }

    assertThat(first.code()).as(first.printed()).isEqualTo(8);
    assertThat(first.out())
        .contains("INCOMPLETE")
        .contains("pg_drop_replication_slot('" + slots.get(0) + "')")
        .contains("run `onramp offboard " + TARGET + "` again when the upstream database");
    // Materialize and AWS parts are done although the upstream was down.
    assertThat(StateSnapshot.materializeCatalog(env)).isEqualTo(before.get("mz objects"));
    assertThat(StateSnapshot.securityGroupRules(env)).isEqualTo(before.get("security group rules"));
    assertThat(upstream("SELECT slot_name FROM pg_replication_slots")).isEqualTo(slots);

    CliRun second = offboard(TARGET, "--restore-parameter-group", "--reboot-policy", "IMMEDIATE");

    assertThat(second.code()).as(second.printed()).isZero();
    assertThat(second.out()).contains("already gone").contains("complete");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @Order(5)
  void aRunningOnboardingIsRefusedAndACancelledOnesLedgerIsUndoneFromItsProgress()
      throws Exception {
    Map<String, List<String>> before = snapshot();
    List<String> args =
        new ArrayList<>(
            List.of(
                env.startImmediate(
                    E2eEnvironment.DATABASE,
                    "orders",
                    "--replication-secret",
                    "onramp/us-east-1/" + E2eEnvironment.INSTANCE + "/materialize-fifth")));
    // Stop at the reboot gate, after the parameter group is created and associated.
    args.set(args.indexOf("IMMEDIATE"), "APPROVAL");
    // Without following it: startImmediate ends with --wait --timeout 5m.
    args = args.subList(0, args.size() - 3);
    CliRun started = CliRun.of(args.toArray(String[]::new));
    assertThat(started.code()).as(started.printed()).isZero();
    String onboarding = "onboard/" + TARGET;
    awaitWaitingForApproval(onboarding);

    CliRun refused = offboard(TARGET);
    assertThat(refused.code()).as(refused.printed()).isEqualTo(5);
    assertThat(refused.err())
        .contains("an onboarding of " + TARGET + " is running")
        .contains("Nothing was touched");

    CliRun cancel = cli("cancel", onboarding);
    assertThat(cancel.code()).as(cancel.printed()).isZero();
    awaitClosed(onboarding);
    // The cancelled run's ledger (the group it created, the association it changed) comes from
    // its progress query. The restoring reboot waits for an approval given with the CLI.
    CompletableFuture<CliRun> offboarding =
        CompletableFuture.supplyAsync(
            () -> offboard(TARGET, "--restore-parameter-group", "--reboot-policy", "APPROVAL"));
    String id = "offboard/" + TARGET;
    OffboardingClient offboardings = new OffboardingClient(env.temporal.client(), env.taskQueue);
    for (int i = 0; i < 240; i++) {
      if (closedOrMissing(id) == Boolean.FALSE
          && offboardings.progress(id).status() == OnboardingStatus.WAITING_FOR_APPROVAL) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(offboardings.progress(id).waitingFor()).contains("approval to reboot e2e-db");
    int approved =
        Onramp.commandLine()
            .execute(
                "approve",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                "--as",
                "e2e-approver",
                id);
    assertThat(approved).isZero();
    CliRun run = offboarding.get(5, TimeUnit.MINUTES);

    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out())
        .contains("reboot approved by e2e-approver")
        .containsPattern("restored +parameter group association e2e-db")
        .containsPattern("removed +parameter group onramp-postgres16-e2e-db");
    assertThat(snapshot()).isEqualTo(before);
  }

  /** Null while the workflow does not exist yet, else whether it has closed. */
  private static Boolean closedOrMissing(String workflowId) {
    try {
      return env.temporal
              .client()
              .newUntypedWorkflowStub(workflowId)
              .describe()
              .getWorkflowExecutionInfo()
              .getStatus()
          != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static CliRun cli(String command, String target) {
    return CliRun.of(
        command,
        "--temporal-address",
        env.temporal.address(),
        "--task-queue",
        env.taskQueue,
        target);
  }

  private static void awaitWaitingForApproval(String workflowId) throws InterruptedException {
    for (int i = 0; i < 240; i++) {
      CliRun status = cli("status", workflowId);
      if (status.out().contains("WAITING_FOR_APPROVAL")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("never waited for approval: " + cli("status", workflowId).out());
  }

  private static void awaitClosed(String workflowId) throws InterruptedException {
    for (int i = 0; i < 240; i++) {
      var status =
          env.temporal
              .client()
              .newUntypedWorkflowStub(workflowId)
              .describe()
              .getWorkflowExecutionInfo()
              .getStatus();
      if (status
          != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(workflowId + " did not close");
  }

  /**
   * Onboards with a replication secret of its own when {@code secretSuffix} is given: the one an
   * earlier offboarding deleted stays scheduled for deletion (Secrets Manager's recovery window),
   * and onboarding refuses to reuse it.
   */
  private static void onboard(String tables, String... secretSuffix) {
    String[] args =
        secretSuffix.length == 0
            ? env.startImmediate(E2eEnvironment.DATABASE, tables)
            : env.startImmediate(
                E2eEnvironment.DATABASE,
                tables,
                "--replication-secret",
                "onramp/us-east-1/" + E2eEnvironment.INSTANCE + "/materialize-" + secretSuffix[0]);
    CliRun run = CliRun.of(args);
    assertThat(run.code()).as(run.printed()).isZero();
  }

  private static CliRun offboard(String target, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "offboard",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                "--poll-interval",
                "1s",
                "--max-wait",
                "5m",
                "--timeout",
                "10m",
                target));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Everything offboarding must put back, by what it is. */
  static Map<String, List<String>> snapshot() throws Exception {
    Map<String, List<String>> s = new TreeMap<>();
    s.put("publications", upstream(StateSnapshot.PUBLICATIONS));
    s.put("roles", upstream("SELECT rolname FROM pg_roles ORDER BY 1"));
    s.put("memberships", upstream(StateSnapshot.MEMBERSHIPS));
    s.put("replica identities", upstream(StateSnapshot.REPLICA_IDENTITIES));
    s.put("replication slots", upstream(StateSnapshot.REPLICATION_SLOTS));
    s.put("wal_level", upstream("SHOW wal_level"));
    s.put("security group rules", StateSnapshot.securityGroupRules(env));
    s.put("parameter groups", parameterGroups());
    s.put("mz objects", StateSnapshot.materializeCatalog(env));
    return s;
  }

  static List<String> upstream(String sql) throws SQLException {
    return StateSnapshot.upstream(env, sql);
  }

  /** The instance's group and its state, and every group that exists. */
  static List<String> parameterGroups() {
    try (RdsClient rds =
        RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build()) {
      DBInstance db = StateSnapshot.dbInstance(env);
      List<String> out = new ArrayList<>();
      db.dbParameterGroups()
          .forEach(
              g ->
                  out.add(
                      "instance uses "
                          + g.dbParameterGroupName()
                          + " "
                          + g.parameterApplyStatus()));
      rds.describeDBParameterGroups().dbParameterGroups().stream()
          .map(g -> "exists " + g.dbParameterGroupName())
          .sorted()
          .forEach(out::add);
      return out;
    }
  }
}
