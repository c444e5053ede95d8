package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upstream before the parameter-group change: wal_level=replica, and no SSL. */
class UpstreamWithoutLogicalReplicationTest {

  @TempDir static Path dir;
  static Upstream upstream;
  static MaterializeStandIn mz;

  @BeforeAll
  static void start() throws Exception {
    upstream = Upstream.start(dir, false, false);
    mz = MaterializeStandIn.builder().stateDir(dir.resolve("mz")).password("pw").start();
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

  private static String connection(String name, String ssl) {
    return "CREATE CONNECTION "
        + name
        + " TO POSTGRES (HOST '127.0.0.1', PORT "
        + upstream.port()
        + ", USER 'materialize', PASSWORD SECRET pgpass, SSL MODE '"
        + ssl
        + "', DATABASE 'shop')";
  }

  @Test
  void walLevelNotLogicalAndSslUnavailable() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(c, "CREATE SECRET IF NOT EXISTS pgpass AS '" + Upstream.PASSWORD + "'");
      assertThatThrownBy(() -> Sql.exec(c, connection("plain", "disable")))
          .hasMessageContaining("server must have wal_level >= logical, but has replica");
      assertThatThrownBy(() -> Sql.exec(c, connection("tls", "require")))
          .hasMessageContaining("error performing TLS handshake: server does not support TLS");
      assertThat(Sql.rows(c, "SHOW CONNECTIONS")).isEmpty();
    }
  }
}
