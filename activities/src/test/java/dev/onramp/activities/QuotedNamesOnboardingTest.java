package dev.onramp.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MaterializeActivitiesImpl;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.pg.PgConnectionProperties;
import dev.onramp.activities.upstream.RdsLikeUpstream;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.activities.upstream.UpstreamObjects;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.workflows.MaterializeTarget;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.RequestValidator;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.TargetNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database and a publication whose names need quoting, onboarded from request text through the
 * one parse ({@link TargetNames}) into the upstream and the Materialize stand-in: every object ends
 * up with the name the person meant, quoted once ({@code Pub-1}, not {@code "Pub-1"}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotedNamesOnboardingTest {
  @TempDir static Path dir;
  private static final SecretRef ADMIN = SecretRef.workerConfig("admin");
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private RdsLikeUpstream upstream;
  private MaterializeStandIn mz;

  @BeforeAll
  void start() throws Exception {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE \"Shop Floor\"");
    }
    try (Connection c = master("Shop Floor");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
      st.execute("INSERT INTO orders VALUES (1, 'bolt'), (2, 'nut')");
      st.execute("CREATE TABLE \"Line Items\" (id int PRIMARY KEY, qty int)");
      st.execute("INSERT INTO \"Line Items\" VALUES (1, 3)");
    }
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .password("mz-app-password")
            .egressCidrs(List.of("127.0.0.1/32"))
            .clusterSizes(List.of("25cc", "50cc"))
            .start();
  }

  @AfterAll
  void stop() {
    if (mz != null) {
      mz.close();
    }
    upstream.close();
  }

  private Connection master(String database) throws Exception {
    Properties p = PgConnectionProperties.of("127.0.0.1", upstream.port(), database);
    p.setProperty("user", RdsLikeUpstream.MASTER);
    p.setProperty("password", RdsLikeUpstream.MASTER_PASSWORD);
    p.setProperty("sslmode", "require");
    return DriverManager.getConnection(PgConnectionProperties.URL, p);
  }

  @Test
  void aQuotedDatabaseAndPublicationAreOnboardedUnderTheirOwnNames() throws Exception {
    OnboardingRequest request =
        new OnboardingRequest(
                RdsLikeUpstream.REGION,
                RdsLikeUpstream.INSTANCE,
                "\"Shop Floor\"",
                TableSelection.tables("Orders", "\"Line Items\""),
                "\"Pub-1\"",
                RdsLikeUpstream.REPLICATION_USER,
                ADMIN,
                null,
                new MaterializeTarget(
                    "\"Ingest A\"",
                    "25cc",
                    "\"Shop Source\"",
                    "\"Shop-Conn\"",
                    "\"Shop \"\"Pw\"\"\"",
                    "require",
                    null,
                    null,
                    null),
                null,
                RebootPolicy.IMMEDIATE,
                null,
                null,
                null,
                null)
            .withDefaults();
    assertThat(RequestValidator.problems(request)).isEmpty();
    TargetNames names = TargetNames.of(request);
    assertThat(names.database()).isEqualTo("Shop Floor");
    assertThat(names.publication()).isEqualTo("Pub-1");

    UpstreamActivitiesImpl up =
        new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls());
    UpstreamTarget target =
        new UpstreamTarget(
            RdsLikeUpstream.REGION,
            RdsLikeUpstream.INSTANCE,
            "127.0.0.1",
            upstream.port(),
            names.database(),
            RdsLikeUpstream.MASTER,
            ADMIN,
            "require");
    assertThat(up.preflight(target, request.tables()).tables())
        .containsExactly("public.orders", "public.\"Line Items\"");
    UpstreamObjects objects =
        up.ensureUpstreamObjects(
            target, request.tables(), names.publication(), names.replicationUser(), REPL);
    assertThat(objects.publication()).isEqualTo("Pub-1");
    assertThat(
            up.ensureUpstreamObjects(
                    target, request.tables(), names.publication(), names.replicationUser(), REPL)
                .changes())
        .isEmpty();
    upstream.replicationGrantsApplied();
    try (Connection c = master("Shop Floor");
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT string_agg(pubname || ':' || tablename, ',' ORDER BY tablename) FROM"
                  + " pg_publication_tables");
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("Pub-1:Line Items,Pub-1:orders");
      rs = st.executeQuery("SELECT has_database_privilege('materialize', 'Shop Floor', 'CONNECT')");
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
    }

    MaterializeActivitiesImpl m =
        new MaterializeActivitiesImpl(
            new MaterializeSettings(
                mz.host(), mz.port(), mz.user(), mz.password(), "materialize", "prefer"),
            RdsLikeUpstream.resolver());
    for (int run = 0; run < 2; run++) {
      m.ensureCluster(names.cluster(), "25cc");
      m.ensureSecret(names.secret(), RdsLikeUpstream.REGION, REPL);
      m.ensureConnection(
          new ConnectionSpec(
              names.connection(),
              "127.0.0.1",
              upstream.port(),
              names.database(),
              objects.replicationUser(),
              names.secret(),
              "require",
              null,
              null));
      SourceInfo source =
          m.ensureSource(
              new SourceSpec(
                  names.source(),
                  names.cluster(),
                  names.connection(),
                  objects.publication(),
                  request.tables(),
                  null));
      assertThat(source.created()).isEqualTo(run == 0);
      assertThat(source.relations()).containsExactlyInAnyOrder("orders", "Line Items");
    }
    SnapshotStatus status = m.awaitSnapshot(names.source(), Duration.ofMillis(200), null);
    assertThat(status.snapshotCommitted()).isTrue();

    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM mz_sources WHERE name = ?), (SELECT count(*) FROM"
                    + " mz_connections WHERE name = ?), (SELECT count(*) FROM mz_secrets WHERE"
                    + " name = ?), (SELECT count(*) FROM mz_clusters WHERE name = ?)")) {
      ps.setString(1, "Shop Source");
      ps.setString(2, "Shop-Conn");
      ps.setString(3, "Shop \"Pw\"");
      ps.setString(4, "Ingest A");
      ResultSet rs = ps.executeQuery();
      rs.next();
      assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
          .containsExactly(1, 1, 1, 1);
    }
    assertThat(up.verify(target, request.tables(), names.publication(), names.replicationUser()))
        .noneMatch(f -> f.contains("publication") || f.contains("lacks"));
  }
}
