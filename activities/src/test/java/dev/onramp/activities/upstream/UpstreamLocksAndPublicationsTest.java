package dev.onramp.activities.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream DDL against a long-running reader, two overlapping attempts, RDS's view of
 * rds_replication members, and FOR ALL TABLES where the server refuses it and where it allows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamLocksAndPublicationsTest {
  @TempDir static Path dir;
  private static final SecretRef ADMIN = SecretRef.workerConfig("admin");
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private RdsLikeUpstream upstream;
  private UpstreamActivitiesImpl activities;

  @BeforeAll
  void start() {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    activities =
        new UpstreamActivitiesImpl(
            RdsLikeUpstream.resolver(), upstream.tls(), Duration.ofMillis(300));
  }

  @AfterAll
  void stop() {
    upstream.close();
  }

  @Test
  void aReaderHoldingTheTableMakesTheStepRetryWithoutLeavingLockWaits() throws Exception {
    UpstreamTarget target = upstream.target(ADMIN);
    TableSelection customers = TableSelection.tables("customers");
    try (Connection reader = upstream.master();
        Statement st = reader.createStatement()) {
      reader.setAutoCommit(false);
      st.executeQuery("SELECT count(*) FROM customers").close();
      st.execute("LOCK TABLE customers IN ACCESS SHARE MODE");

      ApplicationFailure busy =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  activities.ensureUpstreamObjects(
                      target, customers, "mz_customers", "materialize", REPL));
      assertThat(busy.getType()).isEqualTo(OnboardingFailures.UPSTREAM_LOCK_BUSY);
      assertThat(busy.isNonRetryable()).isFalse();
      assertThat(busy.getOriginalMessage()).startsWith("waiting for a lock on public.customers");
      assertThat(lockWaits()).isZero();
      // Nothing half done: the failed attempt rolled back as a whole.
      assertThat(count("SELECT count(*) FROM pg_publication WHERE pubname = 'mz_customers'"))
          .isZero();

      reader.commit();
    }
    UpstreamObjects done =
        activities.ensureUpstreamObjects(target, customers, "mz_customers", "materialize", REPL);
    assertThat(done.changes()).contains("set REPLICA IDENTITY FULL on public.customers");
    assertThat(lockWaits()).isZero();
  }

  @Test
  void twoAttemptsNeverRunTheDdlAtOnce() throws Exception {
    UpstreamTarget target = upstream.target(ADMIN);
    try (Connection other = upstream.master();
        Statement st = other.createStatement()) {
      // What an overlapping attempt holds while it runs its DDL.
      st.execute("SELECT pg_advisory_lock(hashtextextended('onramp upstream objects shop', 0))");
      ApplicationFailure busy =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  activities.ensureUpstreamObjects(
                      target, TableSelection.tables("orders"), "mz_orders", "materialize", REPL));
      assertThat(busy.getType()).isEqualTo(OnboardingFailures.UPSTREAM_LOCK_BUSY);
      assertThat(busy.isNonRetryable()).isFalse();
      assertThat(busy.getOriginalMessage())
          .contains("another attempt is already preparing database shop");
    }
    assertThat(
            activities
                .ensureUpstreamObjects(
                    target, TableSelection.tables("orders"), "mz_orders", "materialize", REPL)
                .changes())
        .contains("created publication mz_orders");
  }

  @Test
  void aMemberOfRdsReplicationIsHealthyThoughPgRolesShowsNoReplicationAttribute() throws Exception {
    UpstreamTarget target = upstream.target(ADMIN);
    TableSelection orders = TableSelection.tables("orders");
    activities.ensureUpstreamObjects(target, orders, "mz_verify", "materialize", REPL);
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT rolreplication, pg_has_role('materialize', 'rds_replication', 'MEMBER')"
                  + " FROM pg_roles WHERE rolname = 'materialize'");
      rs.next();
      assertThat(rs.getBoolean(1)).as("rolreplication, as RDS shows it").isFalse();
      assertThat(rs.getBoolean(2)).as("member of rds_replication").isTrue();
    }
    assertThat(activities.verify(target, orders, "mz_verify", "materialize"))
        .containsExactly("no Materialize replication slot in database shop");
    // The re-verification's own path (the resource model's drift) agrees: no finding about the
    // user's privilege, though pg_roles shows rolreplication = false.
    var drift =
        activities.upstreamDrift(
            new UpstreamRequest(target, orders, "mz_verify", "materialize", REPL));
    assertThat(drift)
        .extracting(f -> f.kind() + " " + f.identifier() + ": " + f.problem())
        .noneMatch(f -> f.contains("replication privilege") || f.contains("rds_replication"));

    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE not_a_member LOGIN");
    }
    assertThat(activities.verify(target, orders, "mz_verify", "not_a_member"))
        .contains("user not_a_member lacks the replication privilege (rds_replication)");
    assertThat(
            activities.upstreamDrift(
                new UpstreamRequest(target, orders, "mz_verify", "not_a_member", REPL)))
        .extracting(f -> f.problem())
        .anyMatch(m -> m.contains("rds_replication"));
  }

  @Test
  void forAllTablesFallsBackToAListWhereTheServerRefusesAndSaysSo() throws Exception {
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE everything");
    }
    upstream
        .server()
        .runAsMaster(
            RdsLikeUpstream.MASTER,
            RdsLikeUpstream.MASTER_PASSWORD,
            "everything",
            java.util.List.of("CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int)"));
    UpstreamObjects objects =
        activities.ensureUpstreamObjects(
            upstream.target(ADMIN, "everything"),
            TableSelection.allTables(),
            "mz_all",
            "materialize",
            REPL);
    assertThat(objects.tables()).containsExactly("public.a", "public.b");
    assertThat(objects.note())
        .contains("refused CREATE PUBLICATION mz_all FOR ALL TABLES")
        .contains("tables created later are not included");
  }

  @Test
  void forAllTablesIsTriedFirstAndKeptWhereTheServerAllowsIt() throws Exception {
    try (RdsLikeUpstream rdsLike = RdsLikeUpstream.start(dir.resolve("pg-all"), true)) {
      // Another server with a CA of its own: the activities trust that one.
      UpstreamObjects objects =
          new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), rdsLike.tls())
              .ensureUpstreamObjects(
                  rdsLike.target(ADMIN), TableSelection.allTables(), "mz_all", "materialize", REPL);
      assertThat(objects.note()).isNull();
      assertThat(objects.changes()).contains("created publication mz_all FOR ALL TABLES");
      try (Connection c = rdsLike.master();
          Statement st = c.createStatement()) {
        ResultSet rs =
            st.executeQuery("SELECT puballtables FROM pg_publication WHERE pubname = 'mz_all'");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
        // RDS shows its master user as no superuser.
        rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
        rs.next();
        assertThat(rs.getBoolean(1)).isFalse();
      }
      // A second run finds the publication and changes nothing.
      assertThat(
              new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), rdsLike.tls())
                  .ensureUpstreamObjects(
                      rdsLike.target(ADMIN),
                      TableSelection.allTables(),
                      "mz_all",
                      "materialize",
                      REPL)
                  .changes())
          .isEmpty();
    }
  }

  private int lockWaits() throws Exception {
    return count("SELECT count(*) FROM pg_locks WHERE NOT granted");
  }

  private int count(String sql) throws Exception {
    try (Connection c = upstream.master();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
