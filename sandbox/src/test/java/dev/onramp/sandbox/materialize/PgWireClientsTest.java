package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * The wire protocol with real clients (psql, pgjdbc with SSL and prepared statements), the catalog
 * relations that need no upstream, and bad SQL.
 */
class PgWireClientsTest {

  @TempDir static Path dir;
  static MaterializeStandIn mz;

  @BeforeAll
  static void start() throws Exception {
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .user("materialize_admin")
            .password("s3cr3t")
            .ssl(true)
            .egressCidrs(List.of("203.0.113.7/32", "198.51.100.0/28"))
            .clusterSizes(List.of("25cc", "50cc", "100cc"))
            .start();
  }

  @AfterAll
  static void stop() {
    if (mz != null) {
      mz.close();
    }
  }

  @Test
  void psqlConnectsAndRunsShowSourcesAndACatalogSelect() throws Exception {
    File psql = new File("/usr/bin/psql");
    String found = psql.canExecute() ? psql.getPath() : which("psql");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        found != null, "psql is not installed (apt-get install postgresql-client); skipping");
    ProcessBuilder pb =
        new ProcessBuilder(
            found,
            "host="
                + mz.host()
                + " port="
                + mz.port()
                + " user="
                + mz.user()
                + " dbname=materialize sslmode=require",
            "-X",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "SHOW SOURCES",
            "-c",
            "SELECT cidr FROM mz_egress_ips ORDER BY cidr",
            "-c",
            "SELECT mz_version()");
    pb.environment().put("PGPASSWORD", mz.password());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("198.51.100.0/28\n203.0.113.7/32").contains("v0.130.0");
  }

  private static String which(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(d, cmd);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  @Test
  void wrongPasswordIsRejected() {
    PSQLException e =
        catchThrowableOfType(
            PSQLException.class,
            () -> DriverManager.getConnection(mz.jdbcUrl(), mz.user(), "wrong").close());
    assertThat(e.getSQLState()).isEqualTo("28P01");
  }

  @Test
  void pgjdbcOverTlsWithPreparedStatementsAndBinaryTransfer() throws Exception {
    Properties props = new Properties();
    props.setProperty("user", mz.user());
    props.setProperty("password", mz.password());
    props.setProperty("sslmode", "require");
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), props)) {
      // Repeated executions switch pgjdbc to named statements and binary results.
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT egress_ip, prefix_length FROM mz_egress_ips WHERE prefix_length = ?")) {
        for (int i = 0; i < 8; i++) {
          ps.setInt(1, 28);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("198.51.100.0");
            assertThat(rs.getInt(2)).isEqualTo(28);
          }
        }
      }
      for (int i = 0; i < 7; i++) {
        try (PreparedStatement ps = c.prepareStatement("SET CLUSTER = quickstart")) {
          ps.execute();
        }
      }
      assertThat(Sql.value(c, "SHOW CLUSTER")).isEqualTo("quickstart");
      assertThat(Sql.value(c, "SHOW server_version")).isNotBlank();
    }
  }

  @Test
  void commentOnIsKeptInMzCommentsReplacedRemovedAndDroppedWithItsObject() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, "CREATE CLUSTER \"Commented\" (SIZE = '25cc')");
      Sql.exec(c, "CREATE SECRET commented_secret AS 'x'");
      Sql.exec(c, "COMMENT ON CLUSTER \"Commented\" IS 'managed by onramp'");
      Sql.exec(c, "COMMENT ON SECRET commented_secret IS 'first'");
      Sql.exec(c, "COMMENT ON SECRET materialize.public.commented_secret IS 'managed by onramp'");
      String query =
          "SELECT cm.object_type, coalesce(cl.name, s.name), cm.comment FROM"
              + " mz_internal.mz_comments cm LEFT JOIN mz_clusters cl ON cl.id = cm.id AND"
              + " cm.object_type = 'cluster' LEFT JOIN mz_secrets s ON s.id = cm.id AND"
              + " cm.object_type = 'secret' ORDER BY 1";
      assertThat(Sql.rows(c, query))
          .containsExactly(
              List.of("cluster", "Commented", "managed by onramp"),
              List.of("secret", "commented_secret", "managed by onramp"));

      // The kind must match, the object must exist, system clusters are not the user's.
      PSQLException wrongKind =
          catchThrowableOfType(
              PSQLException.class,
              () -> Sql.exec(c, "COMMENT ON CONNECTION commented_secret IS 'x'"));
      assertThat(wrongKind.getServerErrorMessage().getMessage())
          .contains("commented_secret is a secret not a connection");
      PSQLException unknown =
          catchThrowableOfType(
              PSQLException.class, () -> Sql.exec(c, "COMMENT ON SOURCE nothing_here IS 'x'"));
      assertThat(unknown.getServerErrorMessage().getMessage())
          .isEqualTo("unknown catalog item 'nothing_here'");
      PSQLException system =
          catchThrowableOfType(
              PSQLException.class, () -> Sql.exec(c, "COMMENT ON CLUSTER mz_system IS 'x'"));
      assertThat(system.getServerErrorMessage().getMessage()).contains("cannot be modified");

      // IS NULL removes a comment; DROP takes it with the object.
      Sql.exec(c, "COMMENT ON SECRET commented_secret IS NULL");
      Sql.exec(c, "DROP CLUSTER \"Commented\"");
      Sql.exec(c, "DROP SECRET commented_secret");
      assertThat(Sql.rows(c, "SELECT count(*) FROM mz_internal.mz_comments"))
          .containsExactly(List.of("0"));
    }
  }

  @Test
  void clustersSizesAndUtilization() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, "CREATE CLUSTER ingest_postgres (SIZE = '25cc')");
      assertThat(Sql.rows(c, "SHOW CLUSTERS")).contains(List.of("ingest_postgres", "r1 (25cc)"));
      Sql.exec(c, "ALTER CLUSTER ingest_postgres SET (SIZE '100cc')");
      assertThat(Sql.rows(c, "SHOW CLUSTER REPLICAS WHERE cluster = 'ingest_postgres'"))
          .containsExactly(List.of("ingest_postgres", "r1", "100cc", "t"));
      assertThat(Sql.rows(c, "SELECT size FROM mz_catalog.mz_cluster_replica_sizes ORDER BY 1"))
          .containsExactly(List.of("100cc"), List.of("25cc"), List.of("50cc"));
      mz.setClusterUtilization("ingest_postgres", 71.5, 42.0, 3.0);
      assertThat(
              Sql.rows(
                  c,
                  "SELECT u.cpu_percent, u.memory_percent FROM"
                      + " mz_internal.mz_cluster_replica_utilization u JOIN mz_cluster_replicas r"
                      + " ON r.id = u.replica_id JOIN mz_clusters cl ON cl.id = r.cluster_id"
                      + " WHERE cl.name = 'ingest_postgres'"))
          .containsExactly(List.of("71.5", "42"));
      PSQLException e =
          catchThrowableOfType(
              PSQLException.class, () -> Sql.exec(c, "CREATE CLUSTER big (SIZE = '9999cc')"));
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("unknown cluster replica size 9999cc");
      Sql.exec(c, "DROP CLUSTER ingest_postgres");
      Sql.exec(c, "DROP CLUSTER IF EXISTS ingest_postgres");
      assertThat(Sql.rows(c, "SHOW CLUSTERS")).doesNotContain(List.of("ingest_postgres", ""));
    }
  }

  @Test
  void badSqlGetsAnErrorTheConnectionStaysUsableAndTheCatalogIsUnchanged() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      String catalog =
          "SELECT (SELECT count(*) FROM mz_sources) || '/' || (SELECT count(*) FROM"
              + " mz_connections) || '/' || (SELECT count(*) FROM mz_secrets) || '/' || (SELECT"
              + " count(*) FROM mz_clusters)";
      String before = Sql.value(c, catalog);
      String[][] cases = {
        {"SELEC 1", "42601", "Expected a keyword at the beginning of a statement"},
        {"CREATE SOURCE s FROM POSTGRES CONNECTION", "42601", "Expected identifier, found EOF"},
        {"CREATE SECRET s AS", "42601", "Expected literal string, found EOF"},
        {"CREATE CONNECTION c TO POSTGRES (HOST 'h' PORT 5432)", "42601", "Expected"},
        {"CREATE SOURCE s FROM KAFKA CONNECTION k (TOPIC 't')", "0A000", "not supported"},
        {"INSERT INTO mz_sources VALUES ('x')", "0A000", "INSERT is not supported"},
        {"CREATE VIEW v AS SELECT 1", "0A000", "CREATE VIEW is not supported"},
        {"CREATE TABLE t FROM SOURCE s (REFERENCE t)", "0A000", "CREATE TABLE ... FROM SOURCE"},
        {"DROP SUBSOURCE x", "42601", "Expected"},
        {
          "CREATE SOURCE s FROM POSTGRES CONNECTION nope (PUBLICATION 'p')",
          "42601",
          "missing TABLES specification"
        },
      };
      for (String[] k : cases) {
        PSQLException e = catchThrowableOfType(PSQLException.class, () -> Sql.exec(c, k[0]));
        assertThat((Object) e).as(k[0]).isNotNull();
        assertThat(e.getSQLState()).as(k[0]).isEqualTo(k[1]);
        assertThat(e.getServerErrorMessage().getMessage()).as(k[0]).contains(k[2]);
        assertThat(Sql.value(c, "SELECT 1")).isEqualTo("1");
      }
      // A multi-step CREATE SOURCE that fails leaves nothing behind.
      Sql.exec(c, "CREATE SECRET IF NOT EXISTS unused_pw AS 'x'");
      PSQLException e =
          catchThrowableOfType(
              PSQLException.class,
              () ->
                  Sql.exec(
                      c,
                      "CREATE SOURCE s FROM POSTGRES CONNECTION no_such_conn (PUBLICATION 'p') FOR"
                          + " ALL TABLES"));
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("unknown catalog item 'no_such_conn'");
      Sql.exec(c, "DROP SECRET unused_pw");
      assertThat(Sql.value(c, catalog)).isEqualTo(before);
      // Simple-protocol multi-statement strings stop at the first error.
      try (var st = c.createStatement()) {
        st.execute("SET application_name = 'x'; SELECT 1");
      }
    }
  }
}
