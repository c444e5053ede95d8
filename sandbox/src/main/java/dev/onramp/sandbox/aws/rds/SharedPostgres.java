package dev.onramp.sandbox.aws.rds;

import dev.onramp.sandbox.postgres.PostgresServer;
import dev.onramp.sandbox.tls.SandboxCa;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The emulator's shared-server mode, for fleets of hundreds of instances: one PostgreSQL server,
 * each DB instance one database on it (its {@code DBName}, which must then differ between
 * instances), instead of one server per instance. An instance's reboot restarts nothing: it sets
 * the instance's own {@code rds.logical_replication} on its database ({@code ALTER DATABASE ...
 * SET}), which the {@code rds_catalog.pg_settings} view reads, and ends the connections to that
 * database, as a restart would. The server itself runs with {@code wal_level=logical} throughout,
 * so {@code SHOW wal_level} says {@code logical} even before an instance's reboot; the seed's
 * {@code rds.logical_replication} row is what tells the instances apart (see sandbox/README.md).
 */
final class SharedPostgres implements AutoCloseable {
  /** What the server runs with: logical replication possible for every instance on it. */
  private static final Map<String, String> SERVER_PARAMETERS =
      Map.of("rds.logical_replication", "1", "rds.force_ssl", "1");

  private final DbInstanceServer server;
  private boolean started;

  SharedPostgres(Path dataDir, String adminPassword, SandboxCa ca) {
    this.server =
        new DbInstanceServer("shared", dataDir, PostgresServer.freePort(), adminPassword, ca);
  }

  DbInstanceServer server() {
    return server;
  }

  int port() {
    return server.postgres().port();
  }

  synchronized void ensureStarted(String family) {
    if (!started) {
      server.stop(); // a server left running by an emulator that was killed
      server.start(family, SERVER_PARAMETERS);
      started = true;
    }
  }

  /**
   * Creates the instance's database and master user (and, the first time, the {@code rds_*} roles
   * and catalog views), as {@link DbInstanceServer#provision} does for a server of its own. A
   * master user that another instance created already keeps its role and takes this instance's
   * password.
   */
  synchronized void provision(
      String instanceId,
      String masterUser,
      String masterPassword,
      String dbName,
      boolean allTablesPublication) {
    try (Connection c = server.postgres().connectAsSuperuser("postgres");
        Statement st = c.createStatement()) {
      if (!roleExists(st, "rds_superuser")) {
        st.execute("CREATE ROLE rds_superuser NOLOGIN");
        st.execute("CREATE ROLE rds_replication NOLOGIN");
        st.execute("CREATE ROLE rds_password NOLOGIN");
        st.execute(
            "GRANT pg_monitor, pg_signal_backend, pg_checkpoint, rds_replication, rds_password"
                + " TO rds_superuser WITH ADMIN OPTION");
        st.execute("GRANT CREATE ON DATABASE postgres TO rds_superuser");
        st.execute("GRANT ALL ON SCHEMA public TO rds_superuser");
        server.installRdsCatalog("template1");
        server.installRdsCatalog("postgres");
      }
      String who = DbInstanceServer.ident(masterUser);
      String password = DbInstanceServer.literal(masterPassword);
      if (!roleExists(st, masterUser)) {
        st.execute("CREATE ROLE " + who + " LOGIN CREATEROLE CREATEDB PASSWORD " + password);
        st.execute("GRANT rds_superuser TO " + who + " WITH ADMIN OPTION");
      } else {
        st.execute("ALTER ROLE " + who + " PASSWORD " + password);
      }
      if (allTablesPublication) {
        st.execute("ALTER ROLE " + who + " SUPERUSER");
      }
      if (dbName.equals("postgres")) {
        throw new IllegalArgumentException(
            "instance "
                + instanceId
                + ": in shared-server mode every instance needs a DBName of its own (not"
                + " postgres)");
      }
      st.execute("CREATE DATABASE " + DbInstanceServer.ident(dbName) + " OWNER " + who);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot provision instance "
              + instanceId
              + " on the shared server (in shared-server mode every instance needs a DBName of its"
              + " own): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Puts {@code params} in force for the instance whose database is {@code dbName}: its {@code
   * rds.logical_replication}, for every new connection. With {@code restart}, the connections to
   * that database end as on a reboot.
   */
  synchronized void apply(String dbName, Map<String, String> params, boolean restart) {
    boolean logical = "1".equals(params.get("rds.logical_replication"));
    try (Connection c = server.postgres().connectAsSuperuser("postgres");
        Statement st = c.createStatement()) {
      st.execute(
          "ALTER DATABASE "
              + DbInstanceServer.ident(dbName)
              + " SET rds.logical_replication = '"
              + (logical ? "on" : "off")
              + "'");
      if (restart) {
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                + DbInstanceServer.literal(dbName)
                + " AND pid <> pg_backend_pid()");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot apply parameters to database " + dbName, e);
    }
  }

  private static boolean roleExists(Statement st, String role) throws SQLException {
    try (var rs =
        st.executeQuery(
            "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = "
                + DbInstanceServer.literal(role))) {
      return rs.next();
    }
  }

  void runAsMaster(String masterUser, String masterPassword, String db, List<String> sql) {
    server.runAsMaster(masterUser, masterPassword, db, sql);
  }

  void syncReplicationRoles() {
    server.syncReplicationRoles();
  }

  @Override
  public synchronized void close() {
    server.stop();
    started = false;
  }
}
