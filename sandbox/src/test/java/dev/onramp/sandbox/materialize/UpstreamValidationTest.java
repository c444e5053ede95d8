package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * Each upstream validation failure, with Materialize's error texts
 * (shared/reference/materialize.md, section 3), and fault injection.
 */
class UpstreamValidationTest {

  @TempDir static Path dir;
  static Upstream upstream;
  static MaterializeStandIn mz;

  @BeforeAll
  static void start() throws Exception {
    upstream = Upstream.start(dir, true, true);
    mz = MaterializeStandIn.builder().stateDir(dir.resolve("mz")).password("pw").start();
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, "CREATE SECRET pgpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(c, "CREATE SECRET wrongpass AS 'not-the-password'");
      Sql.exec(c, connection("pg_connection", "materialize", "pgpass", "require", ""));
      Sql.exec(c, connection("norepl_connection", "norepl", "pgpass", "require", ""));
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

  @AfterEach
  void clearFaults() {
    mz.faults().reset();
  }

  static String connection(String name, String user, String secret, String ssl, String with) {
    return "CREATE CONNECTION "
        + name
        + " TO POSTGRES (HOST '127.0.0.1', PORT "
        + upstream.port()
        + ", USER '"
        + user
        + "', PASSWORD SECRET "
        + secret
        + ", SSL MODE '"
        + ssl
        + "', DATABASE 'shop')"
        + with;
  }

  private static PSQLException fails(String sql) {
    try (Connection c = Sql.connect(mz)) {
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Sql.exec(c, sql));
      assertThat(t).as(sql).isInstanceOf(PSQLException.class);
      // The connection stays usable after the error.
      assertThat(Sql.value(c, "SELECT 1")).isEqualTo("1");
      return (PSQLException) t;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Catalog rows left behind by a failed CREATE SOURCE {@code name} (must be none). */
  private static List<List<String>> leftovers(String name) throws SQLException {
    try (Connection c = Sql.connect(mz)) {
      return Sql.rows(
          c,
          "SELECT name FROM mz_sources WHERE name LIKE '"
              + name
              + "%' UNION ALL SELECT id FROM"
              + " mz_internal.mz_source_statuses WHERE name LIKE '"
              + name
              + "%'");
    }
  }

  @Test
  void alterConnectionRevalidatesAndRewritesItsDefinition() throws Exception {
    String createSql = "SELECT create_sql FROM mz_connections WHERE name = 'altered_connection'";
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, connection("altered_connection", "materialize", "pgpass", "require", ""));
      String before = Sql.value(c, createSql);

      // Validated by default: a definition that cannot log in is refused and changes nothing.
      PSQLException refused =
          fails("ALTER CONNECTION altered_connection SET (PASSWORD = SECRET wrongpass)");
      assertThat(refused.getMessage()).contains("password authentication failed");
      assertThat(Sql.value(c, createSql)).isEqualTo(before);

      Sql.exec(c, "ALTER CONNECTION altered_connection SET (PORT = 1) WITH (VALIDATE = false)");
      assertThat(Sql.value(c, createSql))
          .startsWith(
              "CREATE CONNECTION \"materialize\".\"public\".\"altered_connection\" TO"
                  + " POSTGRES (")
          .contains("PORT = 1,", "HOST = '127.0.0.1'", "SSL MODE = 'require'")
          .contains("PASSWORD = SECRET \"materialize\".\"public\".\"pgpass\"");
      Sql.exec(
          c,
          "ALTER CONNECTION altered_connection SET (PORT = "
              + upstream.port()
              + "), RESET (SSL MODE) WITH (VALIDATE = false)");
      assertThat(Sql.value(c, createSql))
          .contains("PORT = " + upstream.port() + ",", "SSL MODE = 'disable'");
      Sql.exec(c, "ALTER CONNECTION IF EXISTS no_such_connection SET (PORT = 1)");
      assertThat(fails("ALTER CONNECTION altered_connection RESET (HOST)").getMessage())
          .contains("cannot RESET required option HOST");
      Sql.exec(c, "DROP CONNECTION altered_connection");
    }
  }

  @Test
  void missingPublication() throws Exception {
    PSQLException e =
        fails(
            "CREATE SOURCE s1 FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'nope') FOR ALL"
                + " TABLES");
    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("publication nope does not exist");
    assertThat(leftovers("s1")).isEmpty();
  }

  @Test
  void tableNotInPublication() throws Exception {
    PSQLException e =
        fails(
            "CREATE SOURCE s2 FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'mz_source') FOR"
                + " TABLES (not_published)");
    assertThat(e.getServerErrorMessage().getMessage())
        .isEqualTo("reference to not_published not found in source");
    assertThat(leftovers("s2")).isEmpty();
  }

  @Test
  void missingReplicaIdentityFull() throws Exception {
    PSQLException e =
        fails(
            "CREATE SOURCE s3 FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'pub_no_ri') FOR"
                + " ALL TABLES");
    assertThat(e.getServerErrorMessage().getMessage())
        .isEqualTo("referenced items not tables with REPLICA IDENTITY FULL");
    assertThat(e.getServerErrorMessage().getDetail()).isEqualTo("referenced items: public.no_ri");
    assertThat(leftovers("s3")).isEmpty();
  }

  @Test
  void userWithoutReplication() throws Exception {
    PSQLException e =
        fails(
            "CREATE SOURCE s4 FROM POSTGRES CONNECTION norepl_connection (PUBLICATION 'mz_source')"
                + " FOR ALL TABLES");
    assertThat(e.getServerErrorMessage().getMessage())
        .contains("permission denied to start WAL sender");
    assertThat(leftovers("s4")).isEmpty();
  }

  @Test
  void userWithoutSelect() throws Exception {
    PSQLException e =
        fails(
            "CREATE SOURCE s5 FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'pub_hidden')"
                + " FOR ALL TABLES");
    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("insufficient privileges");
    assertThat(e.getServerErrorMessage().getDetail())
        .isEqualTo("user materialize lacks SELECT privileges for tables public.hidden");
    assertThat(leftovers("s5")).isEmpty();
  }

  @Test
  void wrongPasswordFailsOnCreateUnlessValidationIsOff() throws Exception {
    PSQLException e = fails(connection("bad_pw", "materialize", "wrongpass", "require", ""));
    assertThat(e.getServerErrorMessage().getMessage())
        .contains("password authentication failed for user \"materialize\"");
    try (Connection c = Sql.connect(mz)) {
      assertThat(Sql.value(c, "SELECT count(*) FROM mz_connections WHERE name = 'bad_pw'"))
          .isEqualTo("0");
      Sql.exec(
          c,
          connection(
              "bad_pw_later", "materialize", "wrongpass", "require", " WITH (VALIDATE = false)"));
      assertThatThrownBy(() -> Sql.exec(c, "VALIDATE CONNECTION bad_pw_later"))
          .hasMessageContaining("password authentication failed for user \"materialize\"");
      Sql.exec(c, "ALTER SECRET wrongpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(c, "VALIDATE CONNECTION bad_pw_later");
      Sql.exec(c, "ALTER SECRET wrongpass AS 'not-the-password'");
      Sql.exec(c, "DROP CONNECTION bad_pw_later");
    }
  }

  @Test
  void secretValuesCannotBeReadBack() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      assertThat(Sql.rows(c, "SHOW SECRETS")).contains(List.of("pgpass"));
      assertThatThrownBy(() -> Sql.rows(c, "SELECT * FROM mz_standin.secret_values"))
          .hasMessageContaining("permission denied");
      assertThat(Sql.rows(c, "SELECT * FROM mz_secrets WHERE name = 'pgpass'").get(0))
          .doesNotContain(Upstream.PASSWORD);
    }
  }

  @Test
  void unreachableUpstreamFailsValidationAndStallsRunningSources() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(
          c,
          "CREATE SOURCE faulty FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'mz_source')"
              + " FOR TABLES (customers AS faulty_customers)");
      Sql.await(
          "running",
          Duration.ofSeconds(20),
          () ->
              "running"
                  .equals(
                      Sql.value(
                          c,
                          "SELECT status FROM mz_internal.mz_source_statuses WHERE name ="
                              + " 'faulty'")));
      mz.faults().upstreamUnreachable(true);
      assertThatThrownBy(() -> Sql.exec(c, "VALIDATE CONNECTION pg_connection"))
          .hasMessageContaining(Faults.UNREACHABLE_ERROR);
      Sql.await(
          "stalled",
          Duration.ofSeconds(20),
          () ->
              Sql.rows(
                      c,
                      "SELECT status, error FROM mz_internal.mz_source_statuses WHERE name ="
                          + " 'faulty'")
                  .equals(List.of(List.of("stalled", Faults.UNREACHABLE_ERROR))));
      mz.faults().upstreamUnreachable(false);
      Sql.await(
          "running again",
          Duration.ofSeconds(20),
          () ->
              "running"
                  .equals(
                      Sql.value(
                          c,
                          "SELECT status FROM mz_internal.mz_source_statuses WHERE name ="
                              + " 'faulty'")));
      upstream.exec("INSERT INTO customers VALUES (3, 'barbara')");
      Sql.await(
          "row after recovery",
          Duration.ofSeconds(20),
          () -> "barbara".equals(Sql.value(c, "SELECT name FROM faulty_customers WHERE id = 3")));
      Sql.exec(c, "DROP SOURCE faulty CASCADE");
      upstream.exec("DELETE FROM customers WHERE id = 3");
    }
  }

  @Test
  void slowSnapshotKeepsSnapshotCommittedFalse() throws Exception {
    mz.faults().slowSnapshot(Duration.ofSeconds(4));
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(
          c,
          "CREATE SOURCE slow FROM POSTGRES CONNECTION pg_connection (PUBLICATION 'mz_source')"
              + " FOR TABLES (public.orders AS slow_orders)");
      String committed =
          "SELECT snapshot_committed::text FROM mz_internal.mz_source_statistics s JOIN mz_sources"
              + " m ON m.id = s.id WHERE m.name = 'slow'";
      Thread.sleep(1500);
      assertThat(Sql.value(c, committed)).isEqualTo("false");
      assertThat(Sql.value(c, "SELECT count(*) FROM slow_orders")).isEqualTo("0");
      Sql.await("snapshot", Duration.ofSeconds(20), () -> "true".equals(Sql.value(c, committed)));
      assertThat(Sql.value(c, "SELECT count(*) FROM slow_orders")).isEqualTo("2");
      Sql.exec(c, "DROP SOURCE slow CASCADE");
    }
  }
}
