package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mz_source_statistics} while a snapshot is copied: {@code snapshot_records_known} is the
 * table's row count from the start, {@code snapshot_records_staged} grows in steps as the
 * (throttled) copy proceeds, and {@code snapshot_committed} turns true only once everything is in.
 */
class SnapshotStatisticsTest {
  private static final int ROWS = 40_000;
  private static final int SMALL = 5_000;
  private static final int TOTAL = ROWS + SMALL;

  @TempDir static Path dir;
  static Upstream upstream;
  static MaterializeStandIn mz;

  @BeforeAll
  static void start() throws Exception {
    upstream = Upstream.start(dir, true, false);
    upstream.exec("CREATE TABLE bulk (id int PRIMARY KEY)");
    upstream.exec("ALTER TABLE bulk REPLICA IDENTITY FULL");
    upstream.exec("INSERT INTO bulk SELECT g FROM generate_series(1, " + ROWS + ") g");
    // A second table: the counters of a table already copied are locked by the snapshot's own
    // transaction while the next one is copied (a stand-in that wrote them then hung forever).
    upstream.exec("CREATE TABLE small (id int PRIMARY KEY)");
    upstream.exec("ALTER TABLE small REPLICA IDENTITY FULL");
    upstream.exec("INSERT INTO small SELECT generate_series(1, " + SMALL + ")");
    upstream.exec("CREATE PUBLICATION bulk_pub FOR TABLE small, bulk");
    upstream.exec("GRANT SELECT ON bulk, small TO " + Upstream.USER);
    mz = MaterializeStandIn.builder().stateDir(dir.resolve("mz")).password("pw").start();
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, "CREATE SECRET pgpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(
          c,
          "CREATE CONNECTION pg TO POSTGRES (HOST '127.0.0.1', PORT "
              + upstream.port()
              + ", USER '"
              + Upstream.USER
              + "', PASSWORD SECRET pgpass, SSL MODE 'disable', DATABASE 'shop')");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (mz != null) {
      mz.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void stagedGrowsTowardsKnownBeforeTheSnapshotCommits() throws Exception {
    mz.faults().snapshotRowsPerSecond(20_000);
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(
          c,
          "CREATE SOURCE bulk_source FROM POSTGRES CONNECTION pg (PUBLICATION 'bulk_pub') FOR"
              + " TABLES (public.small AS small_rows, public.bulk AS bulk_rows)");
      String reading =
          "SELECT coalesce(snapshot_records_known::text, 'null'),"
              + " coalesce(snapshot_records_staged::text, 'null'), snapshot_committed::text FROM"
              + " mz_internal.mz_source_statistics s JOIN mz_sources m ON m.id = s.id WHERE m.name"
              + " = 'bulk_source'";
      List<List<String>> readings = new ArrayList<>();
      Sql.await(
          "the snapshot to commit",
          java.time.Duration.ofSeconds(30),
          () -> {
            List<String> r = Sql.rows(c, reading).get(0);
            readings.add(r);
            Thread.sleep(100);
            return "true".equals(r.get(2));
          });
      List<List<String>> midway =
          readings.stream()
              .filter(r -> r.get(2).equals("false") && r.get(0).equals(String.valueOf(TOTAL)))
              .filter(r -> !r.get(1).equals("null"))
              .filter(r -> Long.parseLong(r.get(1)) > 0 && Long.parseLong(r.get(1)) < TOTAL)
              .toList();
      assertThat(midway).as("readings while the copy ran: %s", readings).hasSizeGreaterThan(2);
      assertThat(midway.stream().map(r -> Long.parseLong(r.get(1))).toList()).isSorted();
      assertThat(readings.get(readings.size() - 1))
          .containsExactly(String.valueOf(TOTAL), String.valueOf(TOTAL), "true");
      assertThat(Sql.value(c, "SELECT count(*) FROM bulk_rows")).isEqualTo(String.valueOf(ROWS));
      assertThat(Sql.value(c, "SELECT count(*) FROM small_rows")).isEqualTo(String.valueOf(SMALL));
    } finally {
      mz.faults().reset();
    }
  }
}
