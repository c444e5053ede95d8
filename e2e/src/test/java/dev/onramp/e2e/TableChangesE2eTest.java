package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.cli.ExitCodes;
import dev.onramp.sandbox.materialize.SyntaxGeneration;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.ReverificationSchedules;
import dev.onramp.workflows.client.TableChangeClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code onramp tables add|drop} against a real Temporal dev server, the AWS emulator and the
 * Materialize stand-in in both syntax generations: a table added to an onboarded database streams
 * into Materialize without recreating the source; dropped, it is gone and the others keep
 * streaming. Bad input (a table that does not exist, a target never onboarded) changes nothing.
 */
class TableChangesE2eTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SyntaxGeneration.class)
  void addedTableStreamsAndDroppedTableIsGoneWhileOthersKeepStreaming(SyntaxGeneration syntax)
      throws Exception {
    try (E2eEnvironment env = new E2eEnvironment(dir, Duration.ofSeconds(1), syntax)) {
      env.startWorker("worker");
      CliRun onboard = CliRun.of(env.startImmediate(E2eEnvironment.DATABASE, "orders"));
      assertThat(onboard.code()).as(onboard.printed()).isZero();
      String sourceId = sourceId(env);
      try (Connection up = env.upstreamAsMaster();
          Statement st = up.createStatement()) {
        // No primary key: it takes REPLICA IDENTITY FULL.
        st.execute("CREATE TABLE returns (order_id int, reason text)");
        st.execute("INSERT INTO returns SELECT g, 'broken ' || g FROM generate_series(1, 3) g");
      }
      String target = E2eEnvironment.REGION + "/" + E2eEnvironment.INSTANCE + "/shop";

      // Bad input: refused, naming the table; nothing changed upstream.
      List<String> published = published(env);
      CliRun missing = tables(env, "add", target, "returns,no_such_table");
      assertThat(missing.code()).as(missing.printed()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(missing.err()).contains("no_such_table").contains("does not exist");
      assertThat(published(env)).isEqualTo(published);
      CliRun notOnboarded = tables(env, "add", E2eEnvironment.REGION + "/e2e-db/other", "orders");
      assertThat(notOnboarded.code()).as(notOnboarded.printed()).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(notOnboarded.err()).contains("has not completed");

      // add: the rows appear in Materialize; the source is the same one.
      CliRun add = tables(env, "add", target, "returns", "-o", "json");
      assertThat(add.code()).as(add.printed()).isZero();
      assertThat(add.out()).contains("\"MZ_SOURCE\"").contains("shop_source_returns");
      eventually(
          () -> count(env, "shop_source_returns") == 3, Duration.ofSeconds(60), "rows of returns");
      assertThat(sourceId(env)).isEqualTo(sourceId);
      try (Connection up = env.upstreamAsMaster()) {
        assertThat(
                Seed.queryStrings(
                    up, "SELECT relreplident::text FROM pg_class WHERE relname = 'returns'"))
            .containsExactly("f");
      }
      // Re-verification checks the new table too.
      ReverificationSchedules schedules = new ReverificationSchedules(env.temporal.client());
      String scheduleId = ReverificationSchedules.scheduleId("onboard/" + target);
      assertThat(schedules.request(scheduleId).orElseThrow().tables().tableNames())
          .containsExactly(
              new QualifiedName("public", "orders"), new QualifiedName("public", "returns"));
      // The ledger offboarding reads includes what the table change did.
      List<LedgerEntry> ledger =
          new TableChangeClient(env.temporal.client(), env.taskQueue).ledgerOf("onboard/" + target);
      assertThat(
              ledger.stream()
                  .filter(e -> e.kind() == ResourceKind.MZ_SOURCE)
                  .reduce((a, b) -> b)
                  .orElseThrow()
                  .attribute("relations"))
          .contains("shop_source_returns")
          .contains("shop_source_orders");

      CliRun show =
          CliRun.of(
              "show",
              "--temporal-address",
              env.temporal.address(),
              "--task-queue",
              env.taskQueue,
              target,
              "-o",
              "json");
      assertThat(show.code()).as(show.printed()).isZero();
      assertThat(show.out()).as("onramp show includes table changes").contains("public.returns");

      // drop: gone from Materialize and the publication, replica identity back; orders streams.
      CliRun drop = tables(env, "drop", target, "returns");
      assertThat(drop.code()).as(drop.printed()).isZero();
      assertThat(drop.out()).contains("removed public.returns from publication");
      try (Connection mz = env.materialize()) {
        assertThat(
                Seed.queryStrings(
                    mz,
                    "SELECT count(*) FROM mz_catalog.mz_sources WHERE name = 'shop_source_returns'"
                        + " UNION ALL SELECT count(*) FROM mz_catalog.mz_tables WHERE name ="
                        + " 'shop_source_returns'"))
            .containsOnly("0");
      }
      assertThat(published(env)).isEqualTo(published);
      try (Connection up = env.upstreamAsMaster();
          Statement st = up.createStatement()) {
        assertThat(
                Seed.queryStrings(
                    up, "SELECT relreplident::text FROM pg_class WHERE relname = 'returns'"))
            .containsExactly("d");
        st.execute("INSERT INTO orders VALUES (1001, 'after the drop')");
      }
      eventually(
          () -> count(env, "shop_source_orders") == 101, Duration.ofSeconds(60), "orders streams");
      assertThat(sourceId(env)).isEqualTo(sourceId);
      // Re-verification no longer expects returns, and finds nothing wrong.
      assertThat(schedules.request(scheduleId).orElseThrow().tables().tableNames())
          .containsExactly(new QualifiedName("public", "orders"));
      VerificationReport report =
          new OnboardingClient(env.temporal.client(), env.taskQueue).verifyNow("onboard/" + target);
      assertThat(report.drift()).as("%s", report.findings()).isEmpty();

      if (syntax == SyntaxGeneration.LEGACY_SUBSOURCES) {
        // Offboarding undoes what table changes did too: add returns again, then offboard.
        CliRun again = tables(env, "add", target, "returns");
        assertThat(again.code()).as(again.printed()).isZero();
        CliRun off =
            CliRun.of(
                "offboard",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                "--poll-interval",
                "1s",
                "--timeout",
                "5m",
                target);
        assertThat(off.code()).as(off.printed()).isZero();
        try (Connection up = env.upstreamAsMaster()) {
          assertThat(
                  Seed.queryStrings(
                      up, "SELECT relreplident::text FROM pg_class WHERE relname = 'returns'"))
              .as("the replica identity the table change set is put back")
              .containsExactly("d");
          assertThat(
                  Seed.queryStrings(
                      up, "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'returns'"))
              .containsExactly("0");
        }
        try (Connection mz = env.materialize()) {
          assertThat(
                  Seed.queryStrings(
                      mz,
                      "SELECT count(*) FROM mz_catalog.mz_sources WHERE name LIKE 'shop_source%'"))
              .containsExactly("0");
        }
      }
    }
  }

  private static CliRun tables(E2eEnvironment env, String action, String target, String... rest) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "tables",
                action,
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                target));
    args.addAll(List.of(rest));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static String sourceId(E2eEnvironment env) throws Exception {
    try (Connection mz = env.materialize()) {
      return Seed.queryStrings(
              mz, "SELECT id FROM mz_catalog.mz_sources WHERE name = 'shop_source'")
          .get(0);
    }
  }

  private static List<String> published(E2eEnvironment env) throws Exception {
    try (Connection up = env.upstreamAsMaster()) {
      return Seed.queryStrings(
          up, "SELECT tablename FROM pg_publication_tables WHERE pubname = 'mz_source' ORDER BY 1");
    }
  }

  private static long count(E2eEnvironment env, String relation) throws Exception {
    try (Connection mz = env.materialize()) {
      return Long.parseLong(Seed.queryStrings(mz, "SELECT count(*) FROM " + relation).get(0));
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void eventually(Check check, Duration within, String what) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + within);
      }
      Thread.sleep(250);
    }
  }
}
