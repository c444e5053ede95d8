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
    SnapshotStatus status = activities.awaitSnapshot("mz_source", Duration.ofMillis(200));
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
  void aStalledSourceFailsTheSnapshotWaitWithItsError() {
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
              () -> activities.awaitSnapshot("customers_src", Duration.ofMillis(200)));
      assertThat(f.getType()).isEqualTo(OnboardingFailures.SOURCE_FAILED);
      assertThat(f.getOriginalMessage()).contains("stalled").contains("Connection refused");
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
      assertThat(a.awaitSnapshot("pg", Duration.ofMillis(200)).snapshotCommitted()).isTrue();
    }
  }
}
