package dev.onramp.activities.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.activities.upstream.RdsLikeUpstream;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.activities.upstream.UpstreamObjects;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two databases with the same table names onboarded into one Materialize, and conflicts reported by
 * the plan check before anything changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaterializeNamesAndPreflightTest {
  @TempDir static Path dir;
  private static final SecretRef ADMIN = SecretRef.workerConfig("admin");
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private RdsLikeUpstream upstream;
  private final List<String> databases = List.of("shop", "shop2", "shop3", "shop4");

  @BeforeAll
  void start() throws Exception {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      for (String db : databases.subList(1, databases.size())) {
        st.execute("CREATE DATABASE " + db);
      }
    }
    for (String db : databases.subList(1, databases.size())) {
      upstream
          .server()
          .runAsMaster(
              RdsLikeUpstream.MASTER,
              RdsLikeUpstream.MASTER_PASSWORD,
              db,
              List.of(
                  "CREATE TABLE orders (id int PRIMARY KEY, item text)",
                  "INSERT INTO orders VALUES (1, '" + db + "-apple')",
                  "CREATE TABLE customers (id int PRIMARY KEY, name text)"));
    }
  }

  @AfterAll
  void stop() {
    upstream.close();
  }

  private UpstreamObjects prepareUpstream(String db) {
    UpstreamObjects objects =
        new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls())
            .ensureUpstreamObjects(
                upstream.target(ADMIN, db),
                TableSelection.tables("orders", "customers"),
                "mz_" + db,
                RdsLikeUpstream.REPLICATION_USER,
                REPL);
    upstream.replicationGrantsApplied();
    return objects;
  }

  private MaterializePlan plan(String db, SourceSyntax syntax, UpstreamObjects objects) {
    ConnectionSpec connection =
        new ConnectionSpec(
            db + "_connection",
            "127.0.0.1",
            upstream.port(),
            db,
            RdsLikeUpstream.REPLICATION_USER,
            db + "_password",
            "require",
            null,
            null);
    SourceSpec source =
        new SourceSpec(
                db + "_source",
                "onramp_ingest",
                connection.name(),
                "mz_" + db,
                TableSelection.tables("orders", "customers"),
                syntax)
            .withRelationsFor(objects.tableNames());
    return new MaterializePlan("onramp_ingest", connection, source);
  }

  /** The Materialize step as the workflow runs it, after the plan check in preflight. */
  private SourceInfo onboard(MaterializeActivitiesImpl mz, MaterializePlan plan) {
    mz.ensureCluster(plan.cluster(), "25cc");
    mz.ensureSecret(plan.connection().passwordSecret(), RdsLikeUpstream.REGION, REPL);
    mz.ensureConnection(plan.connection());
    SourceInfo info = mz.ensureSource(plan.source());
    assertThat(mz.awaitSnapshot(plan.source().name(), Duration.ofMillis(200), Duration.ZERO))
        .extracting(SnapshotStatus::snapshotCommitted)
        .isEqualTo(true);
    return info;
  }

  @Test
  void twoDatabasesWithTheSameTableNamesBothOnboard() throws Exception {
    for (SyntaxGeneration generation : SyntaxGeneration.values()) {
      try (MaterializeStandIn standIn = standIn(generation)) {
        MaterializeActivitiesImpl mz = activities(standIn);
        SourceSyntax syntax = mz.describe().sourceSyntax();
        for (String db : List.of("shop2", "shop3")) {
          MaterializePlan plan = plan(db, syntax, prepareUpstream(db));
          assertThat(mz.checkPlan(plan)).doesNotContain("source " + db + "_source");
          SourceInfo info = onboard(mz, plan);
          assertThat(info.relations())
              .containsExactlyInAnyOrder(db + "_source_orders", db + "_source_customers");
          // A re-run finds everything and reuses it.
          assertThat(mz.checkPlan(plan))
              .contains(
                  "cluster onramp_ingest",
                  "secret " + db + "_password",
                  "connection " + db + "_connection",
                  "source " + db + "_source");
          assertThat(onboard(mz, plan).created()).isFalse();
        }
        try (Connection c = connect(standIn)) {
          assertThat(strings(c, "SELECT item FROM shop2_source_orders"))
              .containsExactly("shop2-apple");
          assertThat(strings(c, "SELECT item FROM shop3_source_orders"))
              .containsExactly("shop3-apple");
        }
      }
    }
  }

  @Test
  void materializeRefusesASecondOrdersUnderDefaultNamesAsItDoes() throws Exception {
    try (MaterializeStandIn standIn = standIn(SyntaxGeneration.LEGACY_SUBSOURCES)) {
      MaterializeActivitiesImpl mz = activities(standIn);
      for (String db : List.of("shop2", "shop3")) {
        prepareUpstream(db);
        MaterializePlan plan = plan(db, SourceSyntax.SUBSOURCES, prepareUpstream(db));
        SourceSpec legacy =
            new SourceSpec(
                plan.source().name(),
                null,
                plan.connection().name(),
                plan.source().publication(),
                plan.source().tables(),
                SourceSyntax.SUBSOURCES);
        mz.ensureSecret(plan.connection().passwordSecret(), RdsLikeUpstream.REGION, REPL);
        mz.ensureConnection(plan.connection());
        if (db.equals("shop2")) {
          mz.ensureSource(legacy);
        } else {
          assertThatThrownBy(() -> mz.ensureSource(legacy))
              .isInstanceOf(ApplicationFailure.class)
              .hasMessageContaining("catalog item 'orders' already exists");
        }
      }
    }
  }

  @Test
  void conflictsAndMissingPrivilegesAreReportedBeforeAnyChange() throws Exception {
    try (MaterializeStandIn standIn = standIn(SyntaxGeneration.LEGACY_SUBSOURCES)) {
      MaterializeActivitiesImpl mz = activities(standIn);
      MaterializePlan first = plan("shop2", SourceSyntax.SUBSOURCES, prepareUpstream("shop2"));
      onboard(mz, first);

      MaterializePlan plan = plan("shop4", SourceSyntax.SUBSOURCES, prepareUpstream("shop4"));
      // Someone else's objects hold names the plan needs: a connection of the same name to
      // another database, a secret named like one of the relations, and a secret already used by
      // shop2's connection.
      mz.ensureSecret("shop4_source_orders", RdsLikeUpstream.REGION, REPL);
      mz.ensureConnection(
          new ConnectionSpec(
              "shop4_connection",
              "127.0.0.1",
              upstream.port(),
              "shop3",
              RdsLikeUpstream.REPLICATION_USER,
              "shop2_password",
              "require",
              null,
              null));
      MaterializePlan conflicting =
          new MaterializePlan(
              "new_cluster",
              new ConnectionSpec(
                  "shop4_connection",
                  "127.0.0.1",
                  upstream.port(),
                  "shop4",
                  RdsLikeUpstream.REPLICATION_USER,
                  "shop2_password",
                  "require",
                  null,
                  null),
              plan.source());
      standIn.withholdPrivilege("CREATECLUSTER");
      List<String> before = catalog(standIn);

      ApplicationFailure f =
          catchThrowableOfType(ApplicationFailure.class, () -> mz.checkPlan(conflicting));

      assertThat(f.getType()).isEqualTo(OnboardingFailures.MATERIALIZE_CONFLICT);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage())
          .contains("nothing was changed")
          .contains("no CREATECLUSTER privilege")
          .contains(
              "secret shop2_password already holds the password of connection shop2_connection")
          .contains("connection shop4_connection already exists with a different definition")
          .contains("DATABASE is 'shop3', wanted 'shop4'")
          .contains(
              "shop4_source_orders is wanted for the relation for table public.orders but is"
                  + " already taken by a secret (catalog item 'shop4_source_orders' already"
                  + " exists)");
      assertThat(catalog(standIn)).isEqualTo(before);
      // The stand-in enforces the privilege it no longer lists.
      assertThatThrownBy(() -> mz.ensureCluster("new_cluster", "25cc"))
          .hasMessageContaining("permission denied for SYSTEM");

      standIn.withholdPrivilege(null);
      standIn.withholdPrivilege("CREATE ON SCHEMA");
      ApplicationFailure noCreate =
          catchThrowableOfType(ApplicationFailure.class, () -> mz.checkPlan(plan));
      assertThat(noCreate.getOriginalMessage())
          .contains("may not create objects in materialize.public");
      assertThat(catalog(standIn)).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(SyntaxGeneration.class)
  void overlappingAttemptsConvergeOnWhatTheFirstCreated(SyntaxGeneration generation)
      throws Exception {
    try (MaterializeStandIn standIn = standIn(generation)) {
      MaterializeActivitiesImpl mz = activities(standIn);
      MaterializePlan plan = plan("shop3", mz.describe().sourceSyntax(), prepareUpstream("shop3"));
      mz.ensureCluster(plan.cluster(), "25cc");
      // Attempts that overlap (a retry started while the first still runs) all check, find
      // nothing, and create: the losers of each race must reuse what the winner made.
      int attempts = 4;
      ExecutorService pool = Executors.newFixedThreadPool(attempts);
      try {
        CyclicBarrier together = new CyclicBarrier(attempts);
        List<Future<SourceInfo>> results = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
          results.add(
              pool.submit(
                  () -> {
                    together.await();
                    mz.ensureSecret(
                        plan.connection().passwordSecret(), RdsLikeUpstream.REGION, REPL);
                    together.await();
                    mz.ensureConnection(plan.connection());
                    together.await();
                    return mz.ensureSource(plan.source());
                  }));
        }
        List<SourceInfo> infos = new ArrayList<>();
        for (Future<SourceInfo> f : results) {
          infos.add(f.get(120, TimeUnit.SECONDS));
        }
        assertThat(infos).filteredOn(SourceInfo::created).hasSizeLessThanOrEqualTo(1);
        assertThat(infos)
            .allSatisfy(
                i ->
                    assertThat(i.relations())
                        .containsExactlyInAnyOrder(
                            "shop3_source_orders", "shop3_source_customers"));
      } finally {
        pool.shutdownNow();
      }
      try (Connection c = connect(standIn)) {
        assertThat(strings(c, "SELECT name FROM mz_sources WHERE type = 'postgres'"))
            .containsExactly("shop3_source");
      }
    }
  }

  private MaterializeStandIn standIn(SyntaxGeneration generation) throws Exception {
    return MaterializeStandIn.builder()
        .stateDir(dir.resolve("mz-" + System.nanoTime()))
        .password("pw")
        .syntax(generation)
        .start();
  }

  private static MaterializeActivitiesImpl activities(MaterializeStandIn mz) {
    return new MaterializeActivitiesImpl(
        new MaterializeSettings(
            mz.host(), mz.port(), mz.user(), mz.password(), "materialize", "prefer"),
        RdsLikeUpstream.resolver());
  }

  private static Connection connect(MaterializeStandIn mz) throws SQLException {
    return DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
  }

  /** Every named object in the stand-in's catalog. */
  private static List<String> catalog(MaterializeStandIn mz) throws SQLException {
    try (Connection c = connect(mz)) {
      return strings(
          c,
          "SELECT kind || ' ' || name FROM (SELECT 'source' AS kind, name FROM mz_sources UNION"
              + " ALL SELECT 'table', name FROM mz_tables UNION ALL SELECT 'connection', name FROM"
              + " mz_connections UNION ALL SELECT 'secret', name FROM mz_secrets UNION ALL SELECT"
              + " 'cluster', name FROM mz_clusters) o ORDER BY 1");
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
