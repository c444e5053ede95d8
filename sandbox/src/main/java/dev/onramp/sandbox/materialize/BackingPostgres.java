package dev.onramp.sandbox.materialize;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The stand-in's own PostgreSQL: it holds the catalog relations and the subsource tables, and its
 * data directory lives in the state directory so everything survives a restart.
 */
final class BackingPostgres implements Closeable {

  static final String DATABASE = "materialize";
  static final String SUPERUSER = "postgres";

  /** The role client sessions run as: it can read the catalog and subsources, nothing else. */
  static final String CLIENT_ROLE = "mz_client";

  private final EmbeddedPostgres postgres;

  private BackingPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static BackingPostgres start(Path stateDir) throws IOException {
    Path dataDir = stateDir.resolve("backing-postgres");
    Files.createDirectories(stateDir);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(true)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "200")
            .setServerConfig("shared_buffers", "16MB")
            .setServerConfig("fsync", "on")
            .start();
    BackingPostgres b = new BackingPostgres(pg);
    try (Connection c = b.connect("postgres");
        Statement st = c.createStatement()) {
      if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
        st.execute("CREATE DATABASE " + DATABASE);
      }
      if (!st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + CLIENT_ROLE + "'").next()) {
        st.execute("CREATE ROLE " + CLIENT_ROLE + " LOGIN");
      }
    } catch (SQLException e) {
      pg.close();
      throw new IOException("cannot prepare the backing PostgreSQL", e);
    }
    return b;
  }

  String host() {
    return "127.0.0.1";
  }

  int port() {
    return postgres.getPort();
  }

  Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  private Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", SUPERUSER);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host() + ":" + port() + "/" + database, p);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
