package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's acceptance for the snapshot: {@code onramp watch} shows the progress of a snapshot of
 * one million rows with an ETA before the snapshot completes, and a cluster started on a snapshot
 * size is shrunk only once the snapshot is committed. One onboarding (worker process, real Temporal
 * server, stand-ins) for every check; the stand-in copies at 100,000 rows/s, so the snapshot takes
 * about ten seconds.
 */
class SnapshotProgressE2eTest {
  private static final int ROWS = 1_000_000;

  /** {@code snapshot 412,000 / 1,000,000 rows (41 %), 95,000 rows/s, ETA 6 s}. */
  private static final Pattern PROGRESS =
      Pattern.compile(
          "snapshot ([0-9,]+) / 1,000,000 rows \\((\\d+) %\\), [0-9,]+ rows/s, ETA (\\d+) (s|min)");

  @TempDir static Path dir;
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    long t0 = System.currentTimeMillis();
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    // The table fills while the worker process starts; the primary key is built once at the end
    // (faster than maintaining it row by row).
    java.util.concurrent.CompletableFuture<Void> table =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try (Connection up = env.upstreamAsMaster();
                  Statement st = up.createStatement()) {
                // Narrow rows, never analyzed: the estimate counts them (well under 256 MB).
                st.execute("CREATE TABLE events (id int NOT NULL) WITH (autovacuum_enabled = off)");
                st.execute("INSERT INTO events SELECT generate_series(1, " + ROWS + ")");
                st.execute("ALTER TABLE events ADD PRIMARY KEY (id)");
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    env.mz.faults().snapshotRowsPerSecond(200_000);
    env.startWorker("worker");
    table.join();
    System.out.printf("snapshot e2e: set up in %d ms%n", System.currentTimeMillis() - t0);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void watchShowsProgressWithAnEtaAndTheClusterShrinksOnlyAfterTheCommit() throws Exception {
    List<String> sizeWhileUncommitted = new CopyOnWriteArrayList<>();
    List<String> sizeOnceCommitted = new CopyOnWriteArrayList<>();
    Thread sampler = sampleClusterSize(sizeWhileUncommitted, sizeOnceCommitted);

    String[] start = env.startImmediate(E2eEnvironment.DATABASE, "events");
    String[] noWait = new String[start.length - 3]; // drop "--wait --timeout 5m"
    System.arraycopy(start, 0, noWait, 0, noWait.length);
    String[] args = concat(noWait, "--cluster-size", "25cc", "--snapshot-cluster-size", "100cc");
    args = concat(args, "--snapshot-poll-interval", "1s");
    CliRun started = CliRun.of(args);
    assertThat(started.code()).as(started.printed()).isZero();

    long t1 = System.currentTimeMillis();
    CliRun watch =
        CliRun.of(
            "watch",
            "--temporal-address",
            env.temporal.address(),
            "--timeout",
            "5m",
            "us-east-1/e2e-db/shop");
    sampler.interrupt();
    sampler.join();
    String out = watch.out();
    System.out.printf(
        "snapshot e2e: onboarding watched for %d ms:%n%s%n", System.currentTimeMillis() - t1, out);
    assertThat(watch.code()).as(watch.printed()).isZero();

    // The estimate, in the snapshot step's waiting message.
    assertThat(out).contains("the snapshot of shop_source (~1,000,000 rows, ");

    // Progress lines with an ETA, printed before the step's DONE line.
    List<String> lines = out.lines().toList();
    int done = indexOf(lines, l -> l.contains("DONE") && l.contains("snapshot committed, 1000000"));
    assertThat(done).as(out).isPositive();
    List<Matcher> progress =
        lines.subList(0, done).stream().map(PROGRESS::matcher).filter(Matcher::find).toList();
    assertThat(progress).as(out).isNotEmpty();
    Matcher first = progress.get(0);
    long staged = Long.parseLong(first.group(1).replace(",", ""));
    assertThat(staged).isBetween(1L, (long) ROWS - 1);
    assertThat(Integer.parseInt(first.group(2))).isLessThan(100);

    // The snapshot ran on the larger size; the shrink came only after the commit.
    assertThat(sizeWhileUncommitted)
        .as("sizes seen before the commit")
        .isNotEmpty()
        .containsOnly("100cc");
    assertThat(sizeOnceCommitted).contains("25cc");
    assertThat(out).contains("snapshot committed; cluster onramp_ingest shrunk from 100cc to 25cc");
    try (Connection mz = env.materialize();
        Statement st = mz.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT size FROM mz_catalog.mz_clusters WHERE name = 'onramp_ingest'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("25cc");
    }
  }

  /**
   * Reads the cluster's size and the source's snapshot_committed together, every 100 ms, until
   * interrupted: the size seen while the snapshot was not committed must never be the small one.
   */
  private static Thread sampleClusterSize(List<String> uncommitted, List<String> committed) {
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try (Connection mz = env.materialize();
                    Statement st = mz.createStatement();
                    ResultSet rs =
                        st.executeQuery(
                            "SELECT c.size, (SELECT bool_and(s.snapshot_committed) FROM"
                                + " mz_internal.mz_source_statistics s JOIN mz_catalog.mz_sources"
                                + " m ON m.id = s.id WHERE m.name = 'shop_source') FROM"
                                + " mz_catalog.mz_clusters c WHERE c.name = 'onramp_ingest'")) {
                  if (rs.next()) {
                    boolean isCommitted = rs.getBoolean(2) && !rs.wasNull();
                    (isCommitted ? committed : uncommitted).add(rs.getString(1));
                  }
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // the source may not exist yet
                }
              }
            },
            "cluster-size-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
    for (int i = 0; i < lines.size(); i++) {
      if (p.test(lines.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
