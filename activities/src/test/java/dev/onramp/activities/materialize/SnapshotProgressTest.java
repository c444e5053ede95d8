package dev.onramp.activities.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.activities.upstream.RdsLikeUpstream;
import dev.onramp.activities.upstream.SnapshotEstimate;
import dev.onramp.activities.upstream.TableEstimate;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.activities.upstream.UpstreamRequest;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot's estimate from the upstream catalog, the wait's readings of a throttled snapshot
 * (staged growing towards known, a rate and an ETA), and the shrink that refuses to run before the
 * snapshot is committed: against the stand-in ingesting from an RDS-like upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotProgressTest {
  private static final int ROWS = 60_000;
  private static final SecretRef ADMIN = SecretRef.workerConfig("admin");
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private static final TableSelection BULK = TableSelection.tables("bulk");

  @TempDir static Path dir;
  private RdsLikeUpstream upstream;
  private MaterializeStandIn mz;
  private MaterializeActivitiesImpl activities;
  private UpstreamActivitiesImpl upstreamActivities;

  @BeforeAll
  void start() throws Exception {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      // Autovacuum would analyze the tables behind the test's back and change the estimate's basis.
      st.execute("CREATE TABLE bulk (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off)");
      st.execute("INSERT INTO bulk SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g");
      st.execute("CREATE TABLE fresh (id int PRIMARY KEY) WITH (autovacuum_enabled = off)");
      st.execute("INSERT INTO fresh SELECT generate_series(1, 500)");
    }
    upstreamActivities = new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls());
    upstreamActivities.ensureUpstreamObjects(
        upstream.target(ADMIN), BULK, "bulk_pub", RdsLikeUpstream.REPLICATION_USER, REPL);
    upstream.replicationGrantsApplied();
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .password("mz-app-password")
            .egressCidrs(List.of("127.0.0.1/32"))
            .clusterSizes(List.of("25cc", "50cc", "100cc", "200cc"))
            .start();
    activities =
        new MaterializeActivitiesImpl(
            new MaterializeSettings(
                mz.host(), mz.port(), mz.user(), mz.password(), "materialize", "prefer"),
            RdsLikeUpstream.resolver());
  }

  @AfterAll
  void stop() {
    if (mz != null) {
      mz.close();
    }
    upstream.close();
  }

  private UpstreamRequest request(TableSelection tables) {
    return new UpstreamRequest(
        upstream.target(ADMIN), tables, "bulk_pub", RdsLikeUpstream.REPLICATION_USER, null);
  }

  @Test
  void estimatesFromTheCatalogCountingOnlyWhatWasNeverAnalyzed() throws Exception {
    SnapshotEstimate never = upstreamActivities.estimateSnapshot(request(BULK));
    TableEstimate bulk = never.tables().get(0);
    // Never analyzed (reltuples -1): small enough to count exactly.
    assertThat(bulk.basis()).isEqualTo(TableEstimate.COUNT);
    assertThat(bulk.rows()).isEqualTo(ROWS);
    assertThat(bulk.bytes()).isGreaterThan(1_000_000);
    assertThat(never.rows()).isEqualTo((long) ROWS);
    assertThat(never.describe()).startsWith("~60,000 rows, ").endsWith(" in 1 table(s)");

    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("ANALYZE bulk");
    }
    SnapshotEstimate analyzed =
        upstreamActivities.estimateSnapshot(request(TableSelection.tables("bulk", "fresh")));
    assertThat(analyzed.tables())
        .extracting(TableEstimate::table)
        .containsExactly("public.bulk", "public.fresh");
    assertThat(analyzed.tables().get(0).basis()).isEqualTo(TableEstimate.RELTUPLES);
    assertThat(analyzed.tables().get(0).rows()).isBetween(ROWS * 9L / 10, ROWS * 11L / 10);
    assertThat(analyzed.tables().get(1).basis()).isEqualTo(TableEstimate.COUNT);
    assertThat(analyzed.tables().get(1).rows()).isEqualTo(500);

    // Too large to count (threshold 0 here) and never analyzed: unknown, not a guess.
    try (Connection c = upstream.master()) {
      SnapshotEstimate unknown =
          dev.onramp.activities.upstream.SnapshotEstimatorAccess.estimate(
              c, upstream.target(ADMIN), TableSelection.tables("fresh"), 0);
      assertThat(unknown.tables().get(0).basis()).isEqualTo(TableEstimate.UNKNOWN);
      assertThat(unknown.rows()).isNull();
      assertThat(unknown.describe()).startsWith("unknown rows (1 never analyzed; run ANALYZE");
    }
  }

  @Test
  void theWaitSeesStagedGrowTowardsKnownAndShrinkWaitsForTheCommit() throws Exception {
    activities.ensureCluster("snap_cluster", "100cc");
    activities.ensureSecret("pgpass", RdsLikeUpstream.REGION, REPL);
    activities.ensureConnection(
        new ConnectionSpec(
            "pg_connection",
            "127.0.0.1",
            upstream.port(),
            RdsLikeUpstream.DB,
            RdsLikeUpstream.REPLICATION_USER,
            "pgpass",
            "require",
            null,
            null));
    mz.faults().snapshotRowsPerSecond(15_000);
    try {
      activities.ensureSource(
          new SourceSpec("bulk_source", "snap_cluster", "pg_connection", "bulk_pub", BULK, null));

      // Mid-snapshot: the shrink refuses and changes nothing.
      SnapshotRate rate = new SnapshotRate();
      SnapshotProgress midway = null;
      long until = System.currentTimeMillis() + 20_000;
      try (Connection c = mz()) {
        while (System.currentTimeMillis() < until) {
          SnapshotProgress p =
              rate.observe("bulk_source", SourceObservation.read(c, "bulk_source"), Instant.now());
          if (p.etaSeconds() != null && p.recordsStaged() > 0 && p.recordsStaged() < ROWS) {
            midway = p;
            break;
          }
          Thread.sleep(250);
        }
      }
      assertThat(midway).as("a reading with staged < known and an ETA").isNotNull();
      assertThat(midway.recordsKnown()).isEqualTo(ROWS);
      assertThat(midway.rowsPerSecond()).isBetween(5_000.0, 30_000.0);
      assertThat(midway.line())
          .matches("snapshot [0-9,]+ / 60,000 rows \\(\\d+ %\\), [0-9,]+ rows/s, ETA \\d+ s");

      ApplicationFailure refused =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  activities.shrinkAfterSnapshot(
                      new ClusterShrink("snap_cluster", "25cc", "bulk_source")));
      assertThat(refused.getType()).isEqualTo(OnboardingFailures.SNAPSHOT_NOT_COMMITTED);
      assertThat(refused.isNonRetryable()).isTrue();
      assertThat(refused.getOriginalMessage())
          .contains("not shrinking cluster snap_cluster to 25cc")
          .contains("snapshot of source bulk_source is not committed yet");
      ClusterUtilization busy = activities.clusterUtilization("snap_cluster");
      assertThat(busy.size()).isEqualTo("100cc");
      // A snapshot keeps the stand-in's cluster busy (its utilization model).
      assertThat(busy.cpuPercent()).isGreaterThanOrEqualTo(90);

      SnapshotStatus done = activities.awaitSnapshot("bulk_source", Duration.ofMillis(200), null);
      assertThat(done.snapshotRecordsKnown()).isEqualTo(ROWS);
      assertThat(done.snapshotRecordsStaged()).isEqualTo(ROWS);

      mz.setClusterUtilization("snap_cluster", 12, 20, 5);
      ClusterUtilization before =
          activities.shrinkAfterSnapshot(new ClusterShrink("snap_cluster", "25cc", "bulk_source"));
      assertThat(before.size()).isEqualTo("100cc");
      assertThat(before.memoryPercent()).isEqualTo(20);
      assertThat(activities.clusterUtilization("snap_cluster").size()).isEqualTo("25cc");
    } finally {
      mz.faults().reset();
    }
  }

  private Connection mz() throws Exception {
    return DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
  }
}
