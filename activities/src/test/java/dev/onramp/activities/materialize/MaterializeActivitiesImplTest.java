package dev.onramp.activities.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.onramp.activities.upstream.RdsLikeUpstream;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.sandbox.materialize.SyntaxGeneration;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Materialize activities against the stand-in, ingesting from an RDS-like upstream. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaterializeActivitiesImplTest {
  @TempDir static Path dir;
  private RdsLikeUpstream upstream;
  private MaterializeStandIn mz;
  private MaterializeActivitiesImpl activities;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private static final TableSelection TABLES =
      TableSelection.tables("orders", "\"Odd \"\"name\"\"; yes\"");

  @BeforeAll
  void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls())
        .ensureUpstreamObjects(
            upstream.target(SecretRef.workerConfig("admin")),
            TableSelection.allTables(),
            "mz_source",
            RdsLikeUpstream.REPLICATION_USER,
            REPL);
    upstream.replicationGrantsApplied();
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .password("mz-app-password")
            .egressCidrs(List.of("127.0.0.1/32", "10.1.2.0/28"))
            .clusterSizes(List.of("25cc", "50cc", "100cc", "200cc"))
            .start();
    activities = new MaterializeActivitiesImpl(settings(mz), RdsLikeUpstream.resolver());
  }

  private static MaterializeSettings settings(MaterializeStandIn mz) {
    return new MaterializeSettings(
        mz.host(), mz.port(), mz.user(), mz.password(), "materialize", "prefer");
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (mz != null) {
      mz.close();
    }
    upstream.close();
  }

  private ConnectionSpec connection(int port) {
    return new ConnectionSpec(
        "pg_connection",
        "127.0.0.1",
        port,
        RdsLikeUpstream.DB,
        RdsLikeUpstream.REPLICATION_USER,
        "pgpass",
        "require",
        null,
        null);
  }

  @Test
  void onboardsTwiceWithTheSameResultAndQuotesOddNames() throws Exception {
    MaterializeInfo info = activities.describe();
    assertThat(info.version()).startsWith("v0.130.0");
    assertThat(info.sourceSyntax()).isEqualTo(SourceSyntax.SUBSOURCES);
    assertThat(info.egressCidrs()).containsExactly("10.1.2.0/28", "127.0.0.1/32");

    for (int run = 0; run < 2; run++) {
      activities.ensureCluster("ingest_postgres", "25cc");
      activities.ensureSecret("pgpass", RdsLikeUpstream.REGION, REPL);
      activities.ensureConnection(connection(upstream.port()));
      SourceInfo source =
          activities.ensureSource(
              new SourceSpec(
                  "mz_source", "ingest_postgres", "pg_connection", "mz_source", TABLES, null));
      assertThat(source.created()).isEqualTo(run == 0);
      assertThat(source.relations()).containsExactlyInAnyOrder("orders", RdsLikeUpstream.ODD_TABLE);
    }
    SnapshotStatus status = activities.awaitSnapshot("mz_source", Duration.ofMillis(200), null);
    assertThat(status.status()).isEqualTo("running");
    assertThat(status.snapshotCommitted()).isTrue();
    assertThat(status.snapshotRecordsKnown()).isEqualTo(4);
    assertThat(activities.sourceStatus("mz_source")).isEqualTo(status);

    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT (SELECT count(*) FROM mz_sources WHERE name = 'mz_source'), (SELECT count(*)"
                  + " FROM mz_connections WHERE name = 'pg_connection'), (SELECT count(*) FROM"
                  + " mz_secrets WHERE name = 'pgpass'), (SELECT count(*)"
                  + " FROM mz_clusters WHERE name = 'ingest_postgres'), (SELECT string_agg(\"Some"
                  + " Col\", ',' ORDER BY n) FROM \"Odd \"\"name\"\"; yes\")");
      rs.next();
      assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
          .containsExactly(1, 1, 1, 1);
      assertThat(rs.getString(5)).isEqualTo("x,y");
    }

    // A connection of the same name with another definition is a conflict naming the difference.
    ApplicationFailure conflict =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.ensureConnection(connection(1)));
    assertThat(conflict.getType()).isEqualTo(OnboardingFailures.MATERIALIZE_CONFLICT);
    assertThat(conflict.isNonRetryable()).isTrue();
    assertThat(conflict.getOriginalMessage())
        .contains("PORT is '" + upstream.port() + "', wanted '1'");

    // Right-sizing: a busy cluster is offered the next size up, and resized once.
    mz.setClusterUtilization("ingest_postgres", 91.0, 40.0, 1.0);
    ClusterUtilization u = activities.clusterUtilization("ingest_postgres");
    assertThat(u.size()).isEqualTo("25cc");
    assertThat(u.cpuPercent()).isEqualTo(91.0);
    assertThat(u.suggestedSize()).isEqualTo("50cc");
    activities.resizeCluster("ingest_postgres", u.suggestedSize());
    activities.resizeCluster("ingest_postgres", u.suggestedSize());
    assertThat(activities.clusterUtilization("ingest_postgres").size()).isEqualTo("50cc");

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(RdsLikeUpstream.REPLICATION_PASSWORD));
  }

  @Test
  void aStalledSourceFailsTheSnapshotWaitOnlyAfterItsGracePeriod() throws Exception {
    activities.ensureSecret("pgpass2", RdsLikeUpstream.REGION, REPL);
    activities.ensureConnection(
        new ConnectionSpec(
            "pg_connection2",
            "127.0.0.1",
            upstream.port(),
            RdsLikeUpstream.DB,
            RdsLikeUpstream.REPLICATION_USER,
            "pgpass2",
            "require",
            null,
            null));
    activities.ensureSource(
        new SourceSpec(
            "customers_src",
            null,
            "pg_connection2",
            "mz_source",
            TableSelection.tables("customers"),
            SourceSyntax.SUBSOURCES));
    mz.faults().upstreamUnreachable(true);
    try {
      ApplicationFailure f =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  activities.awaitSnapshot(
                      "customers_src", Duration.ofMillis(200), Duration.ofSeconds(1)));
      assertThat(f.getType()).isEqualTo(OnboardingFailures.SOURCE_FAILED);
      assertThat(f.getOriginalMessage())
          .contains("stalled (for more than 1 s)")
          .contains("Connection refused");

      // Materialize sources recover: within the grace period a stall is not final.
      CompletableFuture<SnapshotStatus> waiting =
          CompletableFuture.supplyAsync(
              () ->
                  activities.awaitSnapshot(
                      "customers_src", Duration.ofMillis(200), Duration.ofMinutes(2)));
      Thread.sleep(1500);
      assertThat(waiting).isNotDone();
      mz.faults().reset();
      SnapshotStatus recovered = waiting.get(60, TimeUnit.SECONDS);
      assertThat(recovered.status()).isEqualTo("running");
      assertThat(recovered.snapshotCommitted()).isTrue();
    } finally {
      mz.faults().reset();
    }
  }

  @Test
  void newerMaterializeGetsCreateTableFromSource() throws Exception {
    try (MaterializeStandIn v26 =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz26"))
            .password("pw26")
            .syntax(SyntaxGeneration.TABLES_FROM_SOURCE)
            .start()) {
      MaterializeActivitiesImpl a =
          new MaterializeActivitiesImpl(settings(v26), RdsLikeUpstream.resolver());
      MaterializeInfo info = a.describe();
      assertThat(info.sourceSyntax()).isEqualTo(SourceSyntax.TABLES_FROM_SOURCE);
      SourceInfo first = null;
      for (int run = 0; run < 2; run++) {
        a.ensureSecret("pgpass", RdsLikeUpstream.REGION, REPL);
        a.ensureConnection(connection(upstream.port()));
        SourceInfo s =
            a.ensureSource(
                new SourceSpec(
                    "pg",
                    null,
                    "pg_connection",
                    "mz_source",
                    TableSelection.allTables(),
                    info.sourceSyntax()));
        assertThat(s.created()).isEqualTo(run == 0);
        if (first == null) {
          first = s;
        }
        assertThat(s.relations()).isEqualTo(first.relations());
      }
      assertThat(first.relations())
          .containsExactlyInAnyOrder("customers", "orders", RdsLikeUpstream.ODD_TABLE);
      assertThat(a.awaitSnapshot("pg", Duration.ofMillis(200), null).snapshotCommitted()).isTrue();
    }
  }

  // ---- ownership ----

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /** The catalog rows a refusal must leave alone, comments included. */
  private List<String> catalog() throws Exception {
    List<String> rows = new java.util.ArrayList<>();
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 'cluster ' || name || ' ' || coalesce(size, '') FROM mz_clusters UNION ALL"
                    + " SELECT 'secret ' || name FROM mz_secrets UNION ALL SELECT 'connection ' ||"
                    + " name || ' ' || create_sql FROM mz_connections UNION ALL SELECT 'source ' ||"
                    + " name || ' ' || type FROM mz_sources UNION ALL SELECT 'comment ' ||"
                    + " object_type || ' ' || id || ' ' || comment FROM mz_internal.mz_comments"
                    + " ORDER BY 1")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  private String comment(String relation, String type, String name) throws Exception {
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT cm.comment FROM "
                    + relation
                    + " o JOIN mz_internal.mz_comments cm ON cm.id = o.id AND cm.object_type = ?"
                    + " WHERE o.name = ?")) {
      ps.setString(1, type);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static ApplicationFailure foreign(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    ApplicationFailure f = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(f).as("refused").isNotNull();
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isEqualTo(OnboardingFailures.FOREIGN_OBJECT);
    return f;
  }

  /** A table of its own for a test's source (subsource names are global in the stand-in). */
  private void upstreamTable(String name) throws Exception {
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + name + " (id int PRIMARY KEY, v text)");
      st.execute("ALTER TABLE " + name + " REPLICA IDENTITY FULL");
      st.execute("GRANT SELECT ON " + name + " TO " + RdsLikeUpstream.REPLICATION_USER);
      // A publication of its own too: the other tests count what mz_source offers.
      st.execute("CREATE PUBLICATION " + name + "_pub FOR TABLE " + name);
    }
  }

  @Test
  void whatOnrampCreatesIsMarkedInMzComments() throws Exception {
    upstreamTable("own_items");
    activities.checkMaterializeOwnership(
        "own_cluster", "own_secret", "own_connection", "own_source", "50cc");
    activities.ensureCluster("own_cluster", "25cc");
    activities.ensureSecret("own_secret", RdsLikeUpstream.REGION, REPL);
    activities.ensureConnection(
        new ConnectionSpec(
            "own_connection",
            "127.0.0.1",
            upstream.port(),
            RdsLikeUpstream.DB,
            RdsLikeUpstream.REPLICATION_USER,
            "own_secret",
            "require",
            null,
            null));
    activities.ensureSource(
        new SourceSpec(
            "own_source",
            "own_cluster",
            "own_connection",
            "own_items_pub",
            TableSelection.tables("own_items"),
            SourceSyntax.SUBSOURCES));

    assertThat(comment("mz_clusters", "cluster", "own_cluster")).isEqualTo("managed by onramp");
    assertThat(comment("mz_secrets", "secret", "own_secret")).isEqualTo("managed by onramp");
    assertThat(comment("mz_connections", "connection", "own_connection"))
        .isEqualTo("managed by onramp");
    assertThat(comment("mz_sources", "source", "own_source")).isEqualTo("managed by onramp");

    // Its own objects pass the check, and may be changed: a re-run and a resize work.
    activities.checkMaterializeOwnership(
        "own_cluster", "own_secret", "own_connection", "own_source", "50cc");
    activities.ensureSecret("own_secret", RdsLikeUpstream.REGION, REPL);
    activities.resizeCluster("own_cluster", "50cc");

    // A dropped object takes its comment with it, as in Materialize.
    sql("DROP SOURCE own_source CASCADE");
    assertThat(catalog()).noneMatch(r -> r.contains("own_source"));
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM mz_internal.mz_comments cm WHERE cm.object_type = 'source'"
                    + " AND NOT EXISTS (SELECT 1 FROM mz_sources s WHERE s.id = cm.id)")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void materializeObjectsOnrampDidNotCreateAreNeverAltered() throws Exception {
    upstreamTable("their_items");
    sql(
        "CREATE CLUSTER their_cluster (SIZE = '25cc')",
        "CREATE SECRET their_secret AS 'not-the-replication-password'",
        "CREATE SECRET their_good_secret AS '" + RdsLikeUpstream.REPLICATION_PASSWORD + "'",
        "CREATE CONNECTION their_connection TO POSTGRES (HOST '127.0.0.1', PORT "
            + upstream.port()
            + ", USER 'materialize', PASSWORD SECRET their_good_secret, SSL MODE 'require',"
            + " DATABASE 'shop')",
        "CREATE SOURCE their_source IN CLUSTER their_cluster FROM POSTGRES CONNECTION"
            + " their_connection (PUBLICATION 'their_items_pub') FOR TABLES (their_items)");
    List<String> before = catalog();

    ApplicationFailure secret =
        foreign(() -> activities.checkMaterializeOwnership(null, "their_secret", "x", "y", null));
    assertThat(secret.getOriginalMessage())
        .contains(
            "secret \"their_secret\"",
            "not created by onramp",
            "COMMENT ON SECRET \"their_secret\" IS 'managed by onramp'");
    assertThat(
            foreign(
                    () ->
                        activities.checkMaterializeOwnership(
                            null, "x", "their_connection", "y", null))
                .getOriginalMessage())
        .contains("connection \"their_connection\"");
    assertThat(
            foreign(
                    () ->
                        activities.checkMaterializeOwnership(null, "x", "y", "their_source", null))
                .getOriginalMessage())
        .contains("source \"their_source\"");
    assertThat(
            foreign(
                    () ->
                        activities.checkMaterializeOwnership(
                            "their_cluster", "x", "y", "z", "50cc"))
                .getOriginalMessage())
        .contains("cluster \"their_cluster\"", "resize");
    // Someone else's cluster may hold onramp's source: using it changes nothing of it.
    activities.checkMaterializeOwnership("their_cluster", "x", "y", "z", null);

    // The later steps refuse too, before any statement that would change the object.
    foreign(() -> activities.ensureSecret("their_secret", RdsLikeUpstream.REGION, REPL));
    foreign(
        () ->
            activities.ensureConnection(
                new ConnectionSpec(
                    "their_connection",
                    "127.0.0.1",
                    upstream.port(),
                    RdsLikeUpstream.DB,
                    RdsLikeUpstream.REPLICATION_USER,
                    "their_good_secret",
                    "require",
                    null,
                    null)));
    foreign(
        () ->
            activities.ensureSource(
                new SourceSpec(
                    "their_source",
                    "their_cluster",
                    "their_connection",
                    "their_items_pub",
                    TableSelection.tables("their_items", "customers"),
                    SourceSyntax.SUBSOURCES)));
    foreign(() -> activities.resizeCluster("their_cluster", "50cc"));

    assertThat(catalog()).isEqualTo(before);
    // The secret still holds its owner's value: a connection using it still cannot log in.
    ApplicationFailure validate =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.ensureConnection(
                    new ConnectionSpec(
                        "probe_connection",
                        "127.0.0.1",
                        upstream.port(),
                        RdsLikeUpstream.DB,
                        RdsLikeUpstream.REPLICATION_USER,
                        "their_secret",
                        "require",
                        null,
                        null)));
    assertThat(validate.getOriginalMessage()).contains("password authentication failed");
  }

  /** One activity call with Temporal's retries, to exercise what a second attempt sees. */
  @io.temporal.workflow.WorkflowInterface
  public interface EnsureSecretWithRetries {
    @io.temporal.workflow.WorkflowMethod
    void ensure(String secret);
  }

  public static class EnsureSecretWithRetriesImpl implements EnsureSecretWithRetries {
    @Override
    public void ensure(String secret) {
      io.temporal.workflow.Workflow.newActivityStub(
              MaterializeActivities.class,
              io.temporal.activity.ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(
                      io.temporal.common.RetryOptions.newBuilder()
                          .setInitialInterval(Duration.ofMillis(100))
                          .setMaximumAttempts(3)
                          .build())
                  .build())
          .ensureSecret(secret, RdsLikeUpstream.REGION, REPL);
    }
  }

  @Test
  void anAttemptInterruptedBeforeCommentOnIsMarkedByItsRetry() throws Exception {
    io.temporal.testing.TestWorkflowEnvironment temporal =
        io.temporal.testing.TestWorkflowEnvironment.newInstance();
    try {
      io.temporal.worker.Worker worker = temporal.newWorker("ownership");
      worker.registerWorkflowImplementationTypes(EnsureSecretWithRetriesImpl.class);
      worker.registerActivitiesImplementations(activities);
      temporal.start();
      // Attempt 1 creates the secret and loses its connection before COMMENT ON; attempt 2
      // finds it unmarked and marks it.
      mz.faults().dropConnectionOnComment(1);
      temporal
          .getWorkflowClient()
          .newWorkflowStub(
              EnsureSecretWithRetries.class,
              io.temporal.client.WorkflowOptions.newBuilder().setTaskQueue("ownership").build())
          .ensure("interrupted_secret");
      assertThat(comment("mz_secrets", "secret", "interrupted_secret"))
          .isEqualTo("managed by onramp");

      // Outside a retry (a first attempt, or preflight), an unmarked object is someone else's.
      mz.faults().dropConnectionOnComment(1);
      ApplicationFailure dropped =
          catchThrowableOfType(
              ApplicationFailure.class,
              () -> activities.ensureSecret("unmarked_secret", RdsLikeUpstream.REGION, REPL));
      assertThat(dropped.getType()).isEqualTo(OnboardingFailures.NOT_REACHABLE);
      foreign(() -> activities.ensureSecret("unmarked_secret", RdsLikeUpstream.REGION, REPL));
      foreign(() -> activities.checkMaterializeOwnership(null, "unmarked_secret", "x", "y", null));
    } finally {
      mz.faults().reset();
      temporal.close();
    }
  }
}
