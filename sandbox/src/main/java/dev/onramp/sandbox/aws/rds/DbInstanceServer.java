package dev.onramp.sandbox.aws.rds;

import dev.onramp.sandbox.postgres.PostgresServer;
import dev.onramp.sandbox.tls.SandboxCa;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real PostgreSQL server behind one DB instance, dressed up as RDS for PostgreSQL:
 *
 * <ul>
 *   <li>The emulator's own superuser is {@code rdsadmin}, as on RDS. The master user is not a
 *       superuser but a member of {@code rds_superuser} with CREATEROLE and CREATEDB.
 *   <li>{@code rds_replication} exists, and membership in it is what lets a user replicate. Stock
 *       PostgreSQL 16 only honours the REPLICATION <em>attribute</em>, which is never inherited
 *       through membership, so a background sync gives the attribute to every member of {@code
 *       rds_replication} and takes it from everyone else (see sandbox/README.md for the window this
 *       leaves). A {@code rds_catalog.pg_roles} view hides that attribute (and any SUPERUSER but
 *       rdsadmin's) from queries, as RDS shows those roles.
 *   <li>{@code rds.logical_replication} is a custom setting, and a {@code rds_catalog.pg_settings}
 *       view that adds it to {@code pg_catalog.pg_settings} sits before {@code pg_catalog} in the
 *       server's {@code search_path}, so the seed query answers {@code off}/{@code on} as on RDS.
 *   <li>SSL is on with a self-signed certificate; {@code rds.force_ssl=1} (the PostgreSQL 15+
 *       default) makes {@code pg_hba.conf} accept only SSL connections.
 * </ul>
 */
public final class DbInstanceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DbInstanceServer.class);
  static final String ADMIN_USER = "rdsadmin";

  /**
   * Unqualified names resolve in the user's schema and {@code public} first (so they remain where
   * new objects are created), then in {@code rds_catalog}, and only then in {@code pg_catalog}.
   */
  static final String SEARCH_PATH = "\"$user\", public, rds_catalog, pg_catalog";

  private final String instanceId;
  private final PostgresServer server;
  private final SandboxCa ca;
  private Connection syncConnection;

  /** A server whose certificate comes from a CA of its own, next to its data directory. */
  public DbInstanceServer(String instanceId, Path dataDir, int port, String adminPassword) {
    this(
        instanceId,
        dataDir,
        port,
        adminPassword,
        new SandboxCa(dataDir.resolveSibling(dataDir.getFileName() + "-ca")));
  }

  /** A server whose certificate {@code ca} issues (the emulator's one CA for all instances). */
  public DbInstanceServer(
      String instanceId, Path dataDir, int port, String adminPassword, SandboxCa ca) {
    this.instanceId = instanceId;
    this.server = PostgresServer.open(dataDir, port, ADMIN_USER, adminPassword);
    this.ca = ca;
  }

  /** The CA certificate (PEM) that verifies this server: pgjdbc's {@code sslrootcert}. */
  public Path caCertificate() {
    return ca.certificate();
  }

  public PostgresServer postgres() {
    return server;
  }

  /** The PostgreSQL settings that RDS would derive from these parameter values. */
  Map<String, String> settingsFor(String family, Map<String, String> params) {
    Map<String, String> s = new LinkedHashMap<>(server.ensureCertificate(ca));
    s.put("search_path", SEARCH_PATH);
    s.put("shared_buffers", "32MB");
    for (ParameterDefinition def : ParameterCatalog.all()) {
      String value = params.get(def.name());
      if (def.pgSetting() == null || value == null) {
        continue;
      }
      if ("integer".equals(def.dataType()) && !value.matches("-?\\d+")) {
        continue; // a formula such as LEAST({DBInstanceClassMemory/9531392},5000)
      }
      s.put(def.pgSetting(), def.toPgValue(value));
    }
    boolean logical = "1".equals(params.get("rds.logical_replication"));
    // On RDS, rds.logical_replication=1 is what sets wal_level=logical (at the next reboot).
    s.put("wal_level", logical ? "logical" : "replica");
    s.put("rds.logical_replication", logical ? "on" : "off");
    if (logical) {
      s.put("max_replication_slots", atLeast(s.get("max_replication_slots"), 10));
      s.put("max_wal_senders", atLeast(s.get("max_wal_senders"), 10));
    }
    return s;
  }

  private static String atLeast(String v, int min) {
    try {
      return Integer.toString(Math.max(Integer.parseInt(v), min));
    } catch (RuntimeException e) {
      return Integer.toString(min);
    }
  }

  private void configure(String family, Map<String, String> params) {
    server.writeSettings(settingsFor(family, params));
    server.writeHba("1".equals(params.get("rds.force_ssl")));
  }

  /** Starts PostgreSQL with these parameter values in force. */
  public synchronized void start(String family, Map<String, String> params) {
    configure(family, params);
    server.start();
  }

  /** An RDS reboot: the server really stops and starts, with the given parameter values. */
  public synchronized void reboot(String family, Map<String, String> params) {
    closeSyncConnection();
    server.stop();
    configure(family, params);
    server.start();
  }

  /**
   * Applies dynamic parameter values without a restart. Static ones are written too, but PostgreSQL
   * ignores a changed static setting on reload, just as RDS waits for a reboot.
   */
  public synchronized void reload(String family, Map<String, String> params) {
    configure(family, params);
    if (server.isRunning()) {
      server.reload();
    }
  }

  public synchronized void stop() {
    closeSyncConnection();
    server.stop();
  }

  /**
   * Creates what RDS has in a new instance: the {@code rds_*} roles, the master user, the initial
   * database, and the {@code rds_catalog} schema in every database (template1 included, so that
   * databases created later have it too). Runs once, on a fresh data directory, with the server
   * started.
   */
  public void provision(String masterUser, String masterPassword, String dbName) {
    provision(masterUser, masterPassword, dbName, false);
  }

  /**
   * As {@link #provision(String, String, String)}; with {@code allTablesPublication} the master
   * user may also {@code CREATE PUBLICATION ... FOR ALL TABLES} as on RDS. Stock PostgreSQL allows
   * that to superusers only and has no hook to allow it otherwise, so the master user gets the
   * SUPERUSER attribute, which the {@code rds_catalog.pg_roles} view hides.
   */
  public void provision(
      String masterUser, String masterPassword, String dbName, boolean allTablesPublication) {
    try (Connection c = server.connectAsSuperuser("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE rds_superuser NOLOGIN");
      st.execute("CREATE ROLE rds_replication NOLOGIN");
      st.execute("CREATE ROLE rds_password NOLOGIN");
      st.execute(
          "GRANT pg_monitor, pg_signal_backend, pg_checkpoint, rds_replication, rds_password"
              + " TO rds_superuser WITH ADMIN OPTION");
      st.execute(
          "CREATE ROLE "
              + ident(masterUser)
              + " LOGIN CREATEROLE CREATEDB PASSWORD "
              + literal(masterPassword));
      st.execute("GRANT rds_superuser TO " + ident(masterUser) + " WITH ADMIN OPTION");
      if (allTablesPublication) {
        st.execute("ALTER ROLE " + ident(masterUser) + " SUPERUSER");
      }
      // Like the master user on RDS, it may create schemas and publications in "postgres".
      st.execute("GRANT CREATE ON DATABASE postgres TO rds_superuser");
      st.execute("GRANT ALL ON SCHEMA public TO rds_superuser");
      if (dbName != null && !dbName.equals("postgres")) {
        st.execute("CREATE DATABASE " + ident(dbName) + " OWNER " + ident(masterUser));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot provision instance " + instanceId, e);
    }
    for (String db :
        dbName == null || dbName.equals("postgres")
            ? List.of("template1", "postgres")
            : List.of("template1", "postgres", dbName)) {
      installRdsCatalog(db);
    }
  }

  void installRdsCatalog(String db) {
    try (Connection c = server.connectAsSuperuser(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS rds_catalog AUTHORIZATION " + ADMIN_USER);
      // pg_settings as on RDS: stock PostgreSQL hides custom (placeholder) settings from it.
      st.execute(
          "CREATE OR REPLACE VIEW rds_catalog.pg_settings AS"
              + " SELECT * FROM pg_catalog.pg_settings WHERE name <> 'rds.logical_replication'"
              + " UNION ALL SELECT 'rds.logical_replication'::text,"
              + " CASE WHEN current_setting('rds.logical_replication', true) IN ('on', '1')"
              + " THEN 'on' ELSE 'off' END::text, NULL::text, 'Replication / Sending Servers'::text,"
              + " 'Enables logical decoding.'::text, NULL::text, 'postmaster'::text, 'bool'::text,"
              + " 'configuration file'::text, NULL::text, NULL::text, NULL::text[], 'off'::text,"
              + " CASE WHEN current_setting('rds.logical_replication', true) IN ('on', '1')"
              + " THEN 'on' ELSE 'off' END::text, NULL::text, NULL::integer, false");
      // pg_roles as on RDS: only rdsadmin is a superuser, and a member of rds_replication shows
      // rolreplication = false (membership is what grants it there; here the REPLICATION
      // attribute kept in step by syncReplicationRoles is an implementation detail).
      st.execute(
          "CREATE OR REPLACE VIEW rds_catalog.pg_roles AS SELECT rolname,"
              + " rolsuper AND rolname = '"
              + ADMIN_USER
              + "' AS rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
              + " rolreplication AND rolname = '"
              + ADMIN_USER
              + "' AS rolreplication, rolconnlimit, rolpassword, rolvaliduntil, rolbypassrls,"
              + " rolconfig, oid FROM pg_catalog.pg_roles");
      st.execute("GRANT USAGE ON SCHEMA rds_catalog TO PUBLIC");
      st.execute("GRANT SELECT ON rds_catalog.pg_settings, rds_catalog.pg_roles TO PUBLIC");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot install rds_catalog in " + db, e);
    }
  }

  /** Runs seed SQL as the master user (so what it creates is the master's, as on RDS). */
  public void runAsMaster(String masterUser, String masterPassword, String db, List<String> sql) {
    Properties p = new Properties();
    p.setProperty("user", masterUser);
    p.setProperty("password", masterPassword);
    p.setProperty("sslmode", "require");
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(db), p);
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("seed SQL failed on instance " + instanceId, e);
    }
  }

  /**
   * Gives the REPLICATION attribute to the members of {@code rds_replication} and takes it from
   * every other ordinary role. Called every few hundred milliseconds; a no-op when all agree.
   */
  public synchronized void syncReplicationRoles() {
    try {
      if (syncConnection == null || syncConnection.isClosed()) {
        if (!server.isRunning()) {
          return;
        }
        syncConnection = server.connectAsSuperuser("postgres");
      }
      try (Statement st = syncConnection.createStatement()) {
        st.execute(
            "DO $$ DECLARE r record; BEGIN"
                + " FOR r IN SELECT rolname, rolreplication,"
                + " pg_has_role(oid, 'rds_replication', 'MEMBER') AS member FROM"
                + " pg_catalog.pg_roles"
                + " WHERE NOT rolsuper AND rolname !~ '^pg_' AND rolname <> 'rds_replication'"
                + " LOOP"
                + " IF r.member AND NOT r.rolreplication THEN"
                + " EXECUTE format('ALTER ROLE %I REPLICATION', r.rolname);"
                + " ELSIF NOT r.member AND r.rolreplication THEN"
                + " EXECUTE format('ALTER ROLE %I NOREPLICATION', r.rolname);"
                + " END IF; END LOOP; END $$");
      }
    } catch (SQLException e) {
      LOG.debug("replication role sync skipped on {}: {}", instanceId, e.getMessage());
      closeSyncConnection();
    }
  }

  private void closeSyncConnection() {
    if (syncConnection != null) {
      try {
        syncConnection.close();
      } catch (SQLException ignored) {
        // the server may be gone already
      }
      syncConnection = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  static String ident(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
