package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Two databases of one instance onboarded one after the other: they share onramp's replication user
 * and its password (one secret per instance and user), so the second onboarding leaves the first
 * source running; and the master user is never taken as the replication user.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoDatabasesOneInstanceE2eTest {
  static final String SECOND_DATABASE = "warehouse";

  @TempDir static Path dir;
  static E2eEnvironment env;

  /** The CLI's exit code and what it printed. */
  record Run(int code, String out) {}

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    try (Connection c = env.upstreamAsMaster();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + SECOND_DATABASE);
    }
    // Table names of its own (same names would work too: relations are named after their source).
    try (Connection c = secondDatabaseAsMaster();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE stock (sku int PRIMARY KEY, on_hand int NOT NULL)");
      st.execute("INSERT INTO stock SELECT g, g * 10 FROM generate_series(1, 40) g");
    }
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  static Connection secondDatabaseAsMaster() throws SQLException {
    var i = env.instance();
    return DriverManager.getConnection(
        i.jdbcUrl().replace("/" + E2eEnvironment.DATABASE + "?", "/" + SECOND_DATABASE + "?"),
        i.masterUsername(),
        i.masterPassword());
  }

  static Run cli(String... args) {
    CliRun run = CliRun.of(args);
    return new Run(run.code(), run.printed());
  }

  static Run startAndWait(String database, String tables, String... extra) {
    return cli(env.startImmediate(database, tables, extra));
  }

  static Run verify(String database) {
    return cli(
        "verify",
        "--temporal-address",
        env.temporal.address(),
        "--task-queue",
        env.taskQueue,
        E2eEnvironment.REGION + "/" + E2eEnvironment.INSTANCE + "/" + database);
  }

  static String materializeCount(String relation) throws SQLException {
    try (Connection mz = env.materialize()) {
      return Seed.queryStrings(mz, "SELECT count(*)::text FROM " + relation).get(0);
    }
  }

  /** Materialize catches up with the upstream within a bounded time. */
  static void awaitCount(String relation, String expected) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        last = materializeCount(relation);
        if (expected.equals(last)) {
          return;
        }
      } catch (SQLException notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(250);
    }
    throw new AssertionError(relation + " in Materialize: " + last + ", wanted " + expected);
  }

  static String replicationSecret() {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(env.aws.endpoint())
            .build()) {
      var d =
          sm.describeSecret(
              b ->
                  b.secretId(
                      "onramp/"
                          + E2eEnvironment.REGION
                          + "/"
                          + E2eEnvironment.INSTANCE
                          + "/materialize"));
      Map<String, String> tags = new java.util.LinkedHashMap<>();
      d.tags().forEach(t -> tags.put(t.key(), t.value()));
      assertThat(tags).containsEntry("managed-by", "onramp");
      return d.versionIdsToStages().toString();
    }
  }

  @Test
  @Order(1)
  void twoDatabasesShareTheReplicationUserAndBothKeepStreaming() throws Exception {
    Run first = startAndWait(E2eEnvironment.DATABASE, "orders");
    assertThat(first.code()).as(first.out()).isZero();
    awaitCount("shop_source_orders", "100");
    String password = Seed.replicationPassword(env);
    String versionsAfterFirst = replicationSecret();

    Run second = startAndWait(SECOND_DATABASE, "stock");
    assertThat(second.code()).as(second.out()).isZero();
    assertThat(second.out()).contains("onboard/us-east-1/e2e-db/warehouse").contains("DONE");
    awaitCount("warehouse_source_stock", "40");

    // One secret, one password, not a new version: the first source's login still works.
    assertThat(Seed.replicationPassword(env)).isEqualTo(password);
    assertThat(replicationSecret()).isEqualTo(versionsAfterFirst);
    try (Connection mz = env.materialize();
        Statement st = mz.createStatement()) {
      st.execute("VALIDATE CONNECTION shop_connection");
      st.execute("VALIDATE CONNECTION warehouse_connection");
      assertThat(
              Seed.queryStrings(
                  mz,
                  "SELECT name || '=' || status FROM mz_internal.mz_source_statuses WHERE name IN"
                      + " ('shop_source', 'warehouse_source') ORDER BY 1"))
          .containsExactly("shop_source=running", "warehouse_source=running");
      // Everything onramp made in Materialize is marked as its own.
      assertThat(
              Seed.queryStrings(
                  mz,
                  "SELECT s.name FROM mz_sources s JOIN mz_internal.mz_comments c ON c.id = s.id"
                      + " AND c.object_type = 'source' WHERE c.comment = 'managed by onramp'"
                      + " ORDER BY 1"))
          .containsExactly("shop_source", "warehouse_source");
    }

    // Rows written upstream in both databases after the second onboarding arrive in both sources.
    try (Connection c = env.upstreamAsMaster();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders VALUES (101, 'late order')");
      assertThat(
              Seed.queryStrings(
                  c,
                  "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname ="
                      + " 'materialize'"))
          .containsExactly("managed by onramp");
    }
    try (Connection c = secondDatabaseAsMaster();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO stock VALUES (41, 410)");
      assertThat(
              Seed.queryStrings(
                  c, "SELECT obj_description(oid, 'pg_publication') FROM pg_publication"))
          .containsExactly("managed by onramp");
    }
    awaitCount("shop_source_orders", "101");
    awaitCount("warehouse_source_stock", "41");

    assertThat(verify(E2eEnvironment.DATABASE).code()).isZero();
    assertThat(verify(SECOND_DATABASE).code()).isZero();

    // The master password still opens the instance.
    try (Connection c = env.upstreamAsMaster()) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  @Order(2)
  void theMasterUserIsRefusedAsReplicationUserAndKeepsItsPassword() throws Exception {
    String master = env.instance().masterUsername();
    Run run =
        startAndWait(
            SECOND_DATABASE,
            "stock",
            "--replication-user",
            master,
            "--replication-secret",
            "onramp/us-east-1/e2e-db/master-attempt",
            "--source",
            "master_attempt_source");

    assertThat(run.code()).as(run.out()).isNotZero();
    assertThat(run.out()).contains("replicationUser " + master).contains("master user");
    try (Connection c = env.upstreamAsMaster()) {
      assertThat(c.isValid(5)).isTrue();
    }
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(env.aws.endpoint())
            .build()) {
      // Refused in preflight: not even the secret was created.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> sm.describeSecret(b -> b.secretId("onramp/us-east-1/e2e-db/master-attempt")))
          .isInstanceOf(
              software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class);
    }
  }

  @Test
  @Order(3)
  void offboardingOneKeepsWhatTheOtherUsesTooAndItKeepsStreaming() throws Exception {
    Run run =
        cli(
            "offboard",
            "--temporal-address",
            env.temporal.address(),
            "--task-queue",
            env.taskQueue,
            "--poll-interval",
            "1s",
            "--timeout",
            "10m",
            "--restore-parameter-group",
            "--reboot-policy",
            "IMMEDIATE",
            E2eEnvironment.REGION + "/" + E2eEnvironment.INSTANCE + "/" + E2eEnvironment.DATABASE);

    // Its own objects are removed; what the other database uses too stays: the ingress rule and
    // the replication password (kept in use), and the parameter group (left over, with how to
    // finish once the other one is offboarded).
    assertThat(run.code()).as(run.out()).isEqualTo(8);
    assertThat(run.out())
        .contains("removed")
        .contains("kept in use")
        .contains("onboard/us-east-1/e2e-db/warehouse")
        .contains("offboard them first");
    try (Connection c = secondDatabaseAsMaster();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO stock VALUES (42, 420)");
    }
    awaitCount("warehouse_source_stock", "42");
    Run verified = verify(SECOND_DATABASE);
    assertThat(verified.code()).as(verified.out()).isZero();
  }
}
