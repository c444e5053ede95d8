package dev.onramp.sandbox.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.sandbox.tls.SandboxCa;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {
  @TempDir Path tmp;

  @Test
  void restartsOnTheSamePortAndDataDirectoryWithNewStaticSettings() throws Exception {
    int port = PostgresServer.freePort();
    try (PostgresServer pg = PostgresServer.open(tmp.resolve("data"), port, "rdsadmin", "s3cret")) {
      SandboxCa ca = new SandboxCa(tmp.resolve("ca"));
      Map<String, String> settings = new LinkedHashMap<>(pg.ensureCertificate(ca));
      settings.put("wal_level", "replica");
      pg.writeSettings(settings);
      pg.start();
      assertThat(walLevel(pg)).isEqualTo("replica");

      try (Connection c = pg.connectAsSuperuser("postgres")) {
        c.createStatement().execute("CREATE TABLE kept(x int); INSERT INTO kept VALUES (42)");
      }
      settings.put("wal_level", "logical");
      pg.writeSettings(settings);
      pg.restart();
      assertThat(pg.port()).isEqualTo(port);
      assertThat(walLevel(pg)).isEqualTo("logical");

      Properties p = new Properties();
      p.setProperty("user", "rdsadmin");
      p.setProperty("password", "s3cret");
      // The server's certificate chains to the sandbox CA and names 127.0.0.1.
      p.setProperty("sslmode", "verify-full");
      p.setProperty("sslrootcert", ca.certificate().toString());
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), p);
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT ssl, (SELECT x FROM kept) FROM pg_stat_ssl WHERE pid ="
                          + " pg_backend_pid()")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
        assertThat(rs.getInt(2)).isEqualTo(42);
      }
    }
  }

  private static String walLevel(PostgresServer pg) throws Exception {
    try (Connection c = pg.connectAsSuperuser("postgres");
        ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
