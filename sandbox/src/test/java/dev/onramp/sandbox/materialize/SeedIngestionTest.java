package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's sequence through stock pgjdbc, with real ingestion from the upstream. */
class SeedIngestionTest {

  @TempDir static Path dir;
  static Upstream upstream;
  static MaterializeStandIn mz;

  @BeforeAll
  static void start() throws Exception {
    upstream = Upstream.start(dir, true, true);
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .user("materialize_admin")
            .password("admin-pw")
            .egressCidrs(List.of("127.0.0.1/32", "10.0.0.0/28"))
            .start();
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
  void seedSequenceIngestsSnapshotAndChangesAndDropRemovesTheSlot() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      assertThat(Sql.value(c, "SELECT mz_version()")).startsWith("v0.130.0");
      Sql.exec(c, "CREATE CLUSTER ingest_postgres (SIZE = '25cc')");
      Sql.exec(c, "SET CLUSTER = ingest_postgres");
      Sql.exec(c, "CREATE SECRET pgpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(
          c,
          "CREATE CONNECTION pg_connection TO POSTGRES (\n"
              + "  HOST '127.0.0.1',\n"
              + "  PORT "
              + upstream.port()
              + ",\n"
              + "  USER 'materialize',\n"
              + "  PASSWORD SECRET pgpass,\n"
              + "  SSL MODE 'require',\n"
              + "  DATABASE 'shop'\n"
              + "  )");
      Sql.exec(
          c,
          "CREATE SOURCE mz_source\n"
              + "  IN CLUSTER ingest_postgres\n"
              + "  FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'mz_source')\n"
              + "  FOR ALL TABLES");

      assertThat(Sql.rows(c, "SHOW SOURCES"))
          .contains(
              List.of("mz_source", "postgres", "ingest_postgres"),
              Arrays.asList("orders", "subsource", null),
              Arrays.asList("customers", "subsource", null),
              Arrays.asList("mz_source_progress", "progress", null));
      String srcId = Sql.value(c, "SELECT id FROM mz_sources WHERE name = 'mz_source'");
      String ids =
          "(SELECT referenced_object_id FROM mz_internal.mz_object_dependencies WHERE object_id = '"
              + srcId
              + "' UNION SELECT '"
              + srcId
              + "')";
      Sql.await(
          "snapshot_committed",
          Duration.ofSeconds(30),
          () ->
              "true"
                  .equals(
                      Sql.value(
                          c,
                          "SELECT bool_and(snapshot_committed)::text FROM"
                              + " mz_internal.mz_source_statistics WHERE id IN "
                              + ids)));
      Sql.await(
          "running",
          Duration.ofSeconds(30),
          () ->
              Sql.rows(
                      c,
                      "SELECT status FROM mz_internal.mz_source_statuses WHERE id IN "
                          + ids
                          + " AND status <> 'running'")
                  .isEmpty());
      assertThat(Sql.rows(c, "SELECT id, item, qty, price, paid, meta FROM orders ORDER BY id"))
          .containsExactly(
              List.of("1", "apple", "3", "1.50", "f", "{\"a\": 1}"),
              Arrays.asList("2", "pear", "5", "2.25", "f", null));

      String slot =
          Sql.value(
              c,
              "SELECT pgs.replication_slot FROM mz_sources s JOIN"
                  + " mz_catalog_unstable.mz_postgres_sources pgs ON s.id = pgs.id WHERE s.name ="
                  + " 'mz_source'");
      assertThat(slot).matches("materialize_[0-9a-f]{32}");
      assertThat(upstream.slots()).contains(slot);

      upstream.exec("INSERT INTO orders (id, item, qty, price) VALUES (3, 'plum', 7, 0.99)");
      Sql.await(
          "insert",
          Duration.ofSeconds(10),
          () -> "plum".equals(Sql.value(c, "SELECT item FROM orders WHERE id = 3")));
      upstream.exec("UPDATE orders SET qty = 8, meta = '{\"b\": [1, 2]}' WHERE id = 3");
      Sql.await(
          "update",
          Duration.ofSeconds(10),
          () -> "8".equals(Sql.value(c, "SELECT qty FROM orders WHERE id = 3")));
      upstream.exec("DELETE FROM orders WHERE id = 1");
      Sql.await(
          "delete",
          Duration.ofSeconds(10),
          () -> Sql.value(c, "SELECT count(*) FROM orders WHERE id = 1").equals("0"));
      assertThat(Sql.value(c, "SELECT count(*) FROM orders")).isEqualTo("2");

      Sql.exec(c, "DROP SOURCE mz_source CASCADE");
      assertThat(Sql.rows(c, "SHOW SOURCES")).isEmpty();
      Sql.await("slot dropped", Duration.ofSeconds(10), () -> !upstream.slots().contains(slot));
    }
  }

  @Test
  void legacySubsourcesCanBeAddedAndDropped() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, "CREATE SECRET IF NOT EXISTS pgpass2 AS '" + Upstream.PASSWORD + "'");
      Sql.exec(
          c,
          "CREATE CONNECTION IF NOT EXISTS pg2 TO POSTGRES (HOST '127.0.0.1', PORT "
              + upstream.port()
              + ", USER 'materialize', PASSWORD SECRET pgpass2, DATABASE 'shop', SSL MODE"
              + " 'require')");
      Sql.exec(
          c,
          "CREATE SOURCE legacy FROM POSTGRES CONNECTION pg2 (PUBLICATION 'mz_source') FOR TABLES"
              + " (public.orders AS legacy_orders)");
      Sql.await(
          "orders",
          Duration.ofSeconds(20),
          () -> Integer.parseInt(Sql.value(c, "SELECT count(*) FROM legacy_orders")) >= 2);
      Sql.exec(c, "ALTER SOURCE legacy ADD SUBSOURCE customers AS legacy_customers");
      Sql.await(
          "customers",
          Duration.ofSeconds(20),
          () -> Integer.parseInt(Sql.value(c, "SELECT count(*) FROM legacy_customers")) >= 2);
      assertThat(Sql.rows(c, "SHOW SUBSOURCES ON legacy"))
          .containsExactlyInAnyOrder(
              List.of("legacy_customers", "subsource"),
              List.of("legacy_orders", "subsource"),
              List.of("legacy_progress", "progress"));
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> Sql.exec(c, "DROP SOURCE legacy")))
          .hasMessageContaining("still depended upon by catalog item");
      Sql.exec(c, "ALTER SOURCE legacy DROP SUBSOURCE legacy_customers");
      Sql.exec(c, "DROP SOURCE legacy_orders");
      assertThat(Sql.rows(c, "SHOW SUBSOURCES ON legacy"))
          .containsExactly(List.of("legacy_progress", "progress"));
      upstream.exec("INSERT INTO customers VALUES (42, 'still flowing?')");
      Sql.exec(c, "ALTER SOURCE legacy ADD SUBSOURCE customers AS legacy_customers");
      Sql.await(
          "re-added customers",
          Duration.ofSeconds(20),
          () -> "1".equals(Sql.value(c, "SELECT count(*) FROM legacy_customers WHERE id = 42")));
      Sql.exec(c, "DROP SOURCE legacy CASCADE");
      Sql.exec(c, "DROP CONNECTION pg2");
      Sql.exec(c, "DROP SECRET pgpass2");
      upstream.exec("DELETE FROM customers WHERE id = 42");
    }
  }
}
