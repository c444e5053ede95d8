package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.Onramp;
import dev.onramp.sandbox.aws.DbClusterSpec;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.OnboardingWorkflow;
import dev.onramp.workflows.OnboardingWorkflows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBClusterParameterGroup;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * Aurora PostgreSQL end to end, against the emulator and a real Temporal dev server through the
 * CLI: a reader, an Aurora MySQL writer and an RDS MySQL instance are refused at preflight with the
 * reason and nothing created; then the cluster's writer is onboarded: a DB cluster parameter group
 * of onramp's, ModifyDBCluster, one reboot of the writer (counted from DescribeEvents), the
 * writer's cluster-group status {@code in-sync}, {@code wal_level=logical} and the source in
 * Materialize; and offboarded with {@code --restore-parameter-group}: the cluster back on its group
 * after a second reboot of the writer, onramp's cluster group deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraE2eTest {
  static final String CLUSTER = "e2e-aurora";
  static final String WRITER = "e2e-aurora-writer";
  static final String READER = "e2e-aurora-reader";
  static final String DATABASE = "orders";
  static final String GROUP = "onramp-aurora-postgresql16-" + CLUSTER;

  @TempDir static Path dir;
  static E2eEnvironment env;
  static RdsClient rds;
  static Instant started;

  @BeforeAll
  static void start() throws Exception {
    env =
        E2eEnvironment.withClusters(
            dir,
            Duration.ofSeconds(2),
            List.of(DbInstanceSpec.builder("e2e-mysql").engine("mysql").build()),
            List.of(
                DbClusterSpec.builder(CLUSTER)
                    .writer(WRITER)
                    .reader(READER)
                    .dbName(DATABASE)
                    .publiclyAccessible(true)
                    .seedSql(
                        "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)",
                        "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 50) g")
                    .build(),
                DbClusterSpec.builder("e2e-aurora-mysql").engine("aurora-mysql").build()));
    env.startWorker("worker");
    rds = RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build();
    started = Instant.now().minusSeconds(1);
  }

  @AfterAll
  static void stop() {
    if (rds != null) {
      rds.close();
    }
    if (env != null) {
      env.close();
    }
  }

  private static int onboard(String instance) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                "--region",
                E2eEnvironment.REGION,
                "--instance",
                instance,
                "--database",
                DATABASE,
                "--tables",
                "orders",
                "--reboot-policy",
                "IMMEDIATE",
                "--poll-interval",
                "1s",
                "--max-wait",
                "5m",
                "--reverify-every",
                "1h",
                "--wait",
                "--timeout",
                "3m"));
    return Onramp.commandLine().execute(args.toArray(String[]::new));
  }

  private static OnboardingProgress progress(String instance) {
    return env.temporal
        .client()
        .newWorkflowStub(
            OnboardingWorkflow.class,
            OnboardingWorkflows.workflowId(E2eEnvironment.REGION, instance, DATABASE))
        .progress();
  }

  private static DBCluster cluster() {
    return rds.describeDBClusters(b -> b.dbClusterIdentifier(CLUSTER)).dbClusters().get(0);
  }

  private static String memberStatus(DBCluster c, String id) {
    return c.dbClusterMembers().stream()
        .filter(m -> m.dbInstanceIdentifier().equals(id))
        .map(DBClusterMember::dbClusterParameterGroupStatus)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> onrampClusterGroups() {
    return rds
        .describeDBClusterParameterGroupsPaginator(b -> {})
        .dbClusterParameterGroups()
        .stream()
        .map(DBClusterParameterGroup::dbClusterParameterGroupName)
        .filter(n -> n.startsWith("onramp-"))
        .toList();
  }

  private static long writerRestarts() {
    return rds
        .describeEvents(
            b -> b.sourceIdentifier(WRITER).sourceType(SourceType.DB_INSTANCE).startTime(started))
        .events()
        .stream()
        .filter(e -> e.message().equals("DB instance restarted"))
        .count();
  }

  private static Connection writer() throws Exception {
    var w = env.aws.instance(WRITER);
    return DriverManager.getConnection(w.jdbcUrl(), w.masterUsername(), w.masterPassword());
  }

  private static int mzCount(String sql) throws Exception {
    try (Connection mz = env.materialize();
        var rs = mz.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  @Order(1)
  void aReaderAndTheMysqlEnginesAreRefusedWithNothingCreated() throws Exception {
    // The three runs at once: each stops at its first describe.
    var runs =
        java.util.stream.Stream.of(READER, "e2e-mysql", "e2e-aurora-mysql-instance-1")
            .map(id -> java.util.concurrent.CompletableFuture.supplyAsync(() -> onboard(id)))
            .toList();
    assertThat(runs).allSatisfy(r -> assertThat(r.get()).isEqualTo(1));
    OnboardingProgress reader = progress(READER);
    assertThat(reader.status()).isEqualTo(OnboardingStatus.FAILED);
    assertThat(reader.step(OnboardingStep.PREFLIGHT).message())
        .contains("is a reader of Aurora cluster " + CLUSTER)
        .contains("use the writer, " + WRITER);

    assertThat(progress("e2e-mysql").step(OnboardingStep.PREFLIGHT).message())
        .contains("uses engine mysql")
        .contains("onramp onboards PostgreSQL only");

    assertThat(progress("e2e-aurora-mysql-instance-1").step(OnboardingStep.PREFLIGHT).message())
        .contains("with engine aurora-mysql");

    // Nothing created or changed anywhere.
    assertThat(onrampClusterGroups()).isEmpty();
    DBCluster c = cluster();
    assertThat(c.dbClusterParameterGroup()).isEqualTo("default.aurora-postgresql16");
    assertThat(memberStatus(c, WRITER)).isEqualTo("in-sync");
    assertThat(writerRestarts()).isZero();
    assertThat(mzCount("SELECT count(*) FROM mz_sources WHERE type = 'postgres'")).isZero();
    assertThat(mzCount("SELECT count(*) FROM mz_secrets")).isZero();
    try (Connection up = writer();
        var rs = up.createStatement().executeQuery("SELECT count(*) FROM pg_publication")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  @Order(2)
  void theWriterIsOnboardedThroughTheClusterParameterGroupWithOneReboot() throws Exception {
    assertThat(onboard(WRITER)).isZero();
    OnboardingProgress p = progress(WRITER);
    assertThat(p.status()).isEqualTo(OnboardingStatus.COMPLETED);
    assertThat(p.step(OnboardingStep.PARAMETER_GROUP).message())
        .contains("default cluster parameter group default.aurora-postgresql16")
        .contains(GROUP);

    DBCluster c = cluster();
    assertThat(c.dbClusterParameterGroup()).isEqualTo(GROUP);
    assertThat(memberStatus(c, WRITER)).isEqualTo("in-sync");
    // The reader is not the upstream; Aurora PostgreSQL 16 does not reboot it with the writer.
    assertThat(memberStatus(c, READER)).isEqualTo("pending-reboot");
    assertThat(onrampClusterGroups()).containsExactly(GROUP);
    String arn =
        rds.describeDBClusterParameterGroups(b -> b.dbClusterParameterGroupName(GROUP))
            .dbClusterParameterGroups()
            .get(0)
            .dbClusterParameterGroupArn();
    assertThat(rds.listTagsForResource(b -> b.resourceName(arn)).tagList())
        .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("managed-by=onramp"));
    assertThat(writerRestarts()).as("writer reboots (DescribeEvents)").isEqualTo(1);
    assertThat(env.aws.rebootLog().reboots())
        .extracting(r -> r.instanceId())
        .containsExactly(WRITER);

    try (Connection up = writer();
        var rs = up.createStatement().executeQuery("SHOW wal_level")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("logical");
    }
    assertThat(mzCount("SELECT count(*) FROM mz_sources WHERE type = 'postgres'")).isEqualTo(1);
  }

  @Test
  @Order(3)
  void offboardingPutsTheClusterBackOnItsGroupAndDeletesOnrampsGroup() throws Exception {
    CliRun run =
        CliRun.of(
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
            "5m",
            E2eEnvironment.REGION + "/" + WRITER + "/" + DATABASE,
            "--restore-parameter-group",
            "--reboot-policy",
            "IMMEDIATE");
    assertThat(run.code()).as(run.printed()).isZero();

    DBCluster c = cluster();
    assertThat(c.dbClusterParameterGroup()).isEqualTo("default.aurora-postgresql16");
    assertThat(memberStatus(c, WRITER)).isEqualTo("in-sync");
    assertThat(onrampClusterGroups()).isEmpty();
    assertThat(writerRestarts()).as("the writer rebooted once more, through the gate").isEqualTo(2);
    try (Connection up = writer();
        var rs = up.createStatement().executeQuery("SHOW wal_level")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("replica");
    }
    assertThat(mzCount("SELECT count(*) FROM mz_sources WHERE type = 'postgres'")).isZero();
  }
}
