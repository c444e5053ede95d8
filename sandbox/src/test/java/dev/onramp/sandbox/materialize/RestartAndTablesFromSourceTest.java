package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v26+ syntax (CREATE SOURCE without FOR, then CREATE TABLE ... FROM SOURCE), a restart of the
 * stand-in (catalog and source survive, changes made meanwhile arrive), and an upstream outage (the
 * source stalls, then recovers).
 */
class RestartAndTablesFromSourceTest {

  @TempDir static Path dir;
  static Upstream upstream;

  @BeforeAll
  static void start() throws Exception {
    upstream = Upstream.start(dir, true, true);
  }

  @AfterAll
  static void stop() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
  }

  private static MaterializeStandIn standIn() throws Exception {
    return MaterializeStandIn.builder()
        .stateDir(dir.resolve("mz"))
        .password("pw")
        .syntax(SyntaxGeneration.TABLES_FROM_SOURCE)
        .start();
  }

  private static String status(Connection c, String name) throws Exception {
    return Sql.value(
        c, "SELECT status FROM mz_internal.mz_source_statuses WHERE name = '" + name + "'");
  }

  @Test
  void tablesFromSourceSurviveRestartAndUpstreamOutage() throws Exception {
    String slot;
    try (MaterializeStandIn mz = standIn();
        Connection c = Sql.connect(mz)) {
      assertThat(Sql.value(c, "SELECT mz_version()")).startsWith("v26.1.0");
      Sql.exec(c, "CREATE SECRET pgpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(
          c,
          "CREATE CONNECTION pg_connection TO POSTGRES (HOST '127.0.0.1', PORT "
              + upstream.port()
              + ", USER 'materialize', PASSWORD SECRET pgpass, SSL MODE 'require', DATABASE"
              + " 'shop')");
      Sql.exec(
          c, "CREATE SOURCE pg FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'mz_source')");
      Sql.exec(c, "CREATE TABLE orders_t FROM SOURCE pg (REFERENCE public.orders)");
      Sql.await(
          "orders snapshot",
          Duration.ofSeconds(20),
          () -> "2".equals(Sql.value(c, "SELECT count(*) FROM orders_t")));
      assertThat(Sql.rows(c, "SHOW TABLES")).containsExactly(List.of("orders_t"));
      assertThat(
              Sql.rows(
                  c, "SELECT namespace, name FROM mz_internal.mz_source_references ORDER BY name"))
          .containsExactly(List.of("public", "customers"), List.of("public", "orders"));
      assertThat(
              Sql.rows(
                  c, "SELECT schema_name, table_name FROM mz_internal.mz_postgres_source_tables"))
          .containsExactly(List.of("public", "orders"));
      assertThat(
              Sql.value(
                  c,
                  "SELECT s.name FROM mz_tables t JOIN mz_sources s ON s.id = t.source_id WHERE"
                      + " t.name = 'orders_t'"))
          .isEqualTo("pg");
      // A second table joins a running source through a temporary slot's snapshot.
      Sql.exec(c, "CREATE TABLE customers_t FROM SOURCE pg (REFERENCE customers)");
      Sql.await(
          "customers snapshot",
          Duration.ofSeconds(20),
          () -> "2".equals(Sql.value(c, "SELECT count(*) FROM customers_t")));
      Sql.await("running", Duration.ofSeconds(20), () -> "running".equals(status(c, "pg")));
      slot = Sql.value(c, "SELECT replication_slot FROM mz_internal.mz_postgres_sources");
    }

    // While the stand-in is down, the upstream keeps changing; the slot keeps the WAL.
    upstream.exec("INSERT INTO orders (id, item, qty) VALUES (10, 'fig', 1)");
    assertThat(upstream.slots()).contains(slot);

    try (MaterializeStandIn mz = standIn();
        Connection c = Sql.connect(mz)) {
      assertThat(Sql.rows(c, "SHOW SOURCES")).contains(List.of("pg", "postgres", "quickstart"));
      assertThat(Sql.rows(c, "SHOW CONNECTIONS"))
          .containsExactly(List.of("pg_connection", "postgres"));
      Sql.await(
          "change made while down",
          Duration.ofSeconds(20),
          () -> "fig".equals(Sql.value(c, "SELECT item FROM orders_t WHERE id = 10")));
      assertThat(Sql.value(c, "SELECT count(*) FROM orders_t")).isEqualTo("3");

      upstream.stop();
      Sql.await("stalled", Duration.ofSeconds(30), () -> "stalled".equals(status(c, "pg")));
      assertThat(Sql.value(c, "SELECT error FROM mz_internal.mz_source_statuses WHERE name = 'pg'"))
          .isNotBlank();
      upstream.restart();
      Sql.await("running again", Duration.ofSeconds(30), () -> "running".equals(status(c, "pg")));
      upstream.exec("UPDATE customers SET name = 'lovelace' WHERE id = 1");
      Sql.await(
          "change after outage",
          Duration.ofSeconds(20),
          () -> "lovelace".equals(Sql.value(c, "SELECT name FROM customers_t WHERE id = 1")));

      Sql.exec(c, "DROP SOURCE pg CASCADE");
      assertThat(Sql.rows(c, "SHOW TABLES")).isEmpty();
      Sql.await("slot dropped", Duration.ofSeconds(10), () -> !upstream.slots().contains(slot));
    }
  }
}
