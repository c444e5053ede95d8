package dev.onramp.activities.upstream;

import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.secrets.Credentials;
import dev.onramp.activities.secrets.SecretsManagerCredentialResolver;
import dev.onramp.sandbox.aws.rds.DbInstanceServer;
import dev.onramp.sandbox.postgres.PostgresServer;
import dev.onramp.workflows.SecretRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL server dressed as RDS by the AWS emulator's {@link DbInstanceServer} (master user
 * in rds_superuser, rds_replication, SSL forced, rds.logical_replication), without the AWS API.
 */
public final class RdsLikeUpstream implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final String INSTANCE = "db-activities";
  public static final String MASTER = "onramp_admin";
  public static final String MASTER_PASSWORD = "master-Pa55";
  public static final String DB = "shop";
  public static final String REPLICATION_USER = "materialize";
  public static final String REPLICATION_PASSWORD = "Repl1cationPassw0rdNotInLogs";
  public static final String ODD_TABLE = "Odd \"name\"; yes";

  private final DbInstanceServer server;
  private final Map<String, String> parameters = new java.util.HashMap<>();
  private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor();

  private RdsLikeUpstream(DbInstanceServer server) {
    this.server = server;
  }

  public static RdsLikeUpstream start(Path dir) {
    return start(dir, false);
  }

  /** With {@code allTablesPublication} the master may create FOR ALL TABLES publications. */
  public static RdsLikeUpstream start(Path dir, boolean allTablesPublication) {
    return start(dir, allTablesPublication, Map.of());
  }

  /** With more DB parameter values in force (e.g. {@code max_slot_wal_keep_size}). */
  public static RdsLikeUpstream start(
      Path dir, boolean allTablesPublication, Map<String, String> parameters) {
    DbInstanceServer server =
        new DbInstanceServer(INSTANCE, dir, PostgresServer.freePort(), "rdsadmin-Pa55");
    // RDS's defaults for slots and senders (20): tests leave slots of closed stand-ins behind.
    Map<String, String> all =
        new java.util.HashMap<>(
            Map.of(
                "rds.logical_replication",
                "1",
                "rds.force_ssl",
                "1",
                "max_replication_slots",
                "20",
                "max_wal_senders",
                "20"));
    all.putAll(parameters);
    server.start("postgres16", all);
    server.provision(MASTER, MASTER_PASSWORD, DB, allTablesPublication);
    server.runAsMaster(
        MASTER,
        MASTER_PASSWORD,
        DB,
        List.of(
            "CREATE TABLE orders (id int PRIMARY KEY, item text, qty int)",
            "INSERT INTO orders VALUES (1, 'apple', 3), (2, 'pear', 5)",
            "CREATE TABLE \"Odd \"\"name\"\"; yes\" (\"Some Col\" text, n int)",
            "INSERT INTO \"Odd \"\"name\"\"; yes\" VALUES ('x', 1), ('y', 2)",
            "CREATE TABLE customers (id int PRIMARY KEY, name text)",
            "INSERT INTO customers VALUES (1, 'ada')"));
    RdsLikeUpstream u = new RdsLikeUpstream(server);
    u.parameters.putAll(all);
    u.sync.scheduleWithFixedDelay(server::syncReplicationRoles, 0, 200, TimeUnit.MILLISECONDS);
    return u;
  }

  /**
   * Waits for the stand-in's role sync to have run once more. RDS honours a fresh {@code
   * rds_replication} grant at once; the stand-in gives the REPLICATION attribute on its next sync
   * (every 200 ms here), so a test that starts replicating right after the grant calls this first.
   */
  public void replicationGrantsApplied() {
    server.syncReplicationRoles();
  }

  /**
   * Sets dynamic parameters as ModifyDBParameterGroup with ApplyMethod immediate does (a reload);
   * returns the values they had, to put back.
   */
  public synchronized Map<String, String> reload(Map<String, String> changed) {
    Map<String, String> before = new java.util.HashMap<>();
    changed.keySet().forEach(k -> before.put(k, parameters.getOrDefault(k, "-1")));
    parameters.putAll(changed);
    server.reload("postgres16", Map.copyOf(parameters));
    return before;
  }

  public DbInstanceServer server() {
    return server;
  }

  public int port() {
    return server.postgres().port();
  }

  /** Verification as the worker does it: verify-full against the server's sandbox CA. */
  public PgTls tls() {
    return new PgTls("verify-full", server.caCertificate().toString());
  }

  public UpstreamTarget target(SecretRef admin) {
    return target(admin, DB);
  }

  public UpstreamTarget target(SecretRef admin, String database) {
    return new UpstreamTarget(
        REGION, INSTANCE, "127.0.0.1", port(), database, MASTER, admin, "require");
  }

  /** Worker-config credentials: "admin", "wrong-admin" and "replication". */
  public static SecretsManagerCredentialResolver resolver() {
    return new SecretsManagerCredentialResolver(
        null,
        Map.of(
            "admin", new Credentials(MASTER, MASTER_PASSWORD),
            "wrong-admin", new Credentials(MASTER, "not-it"),
            "replication", new Credentials(REPLICATION_USER, REPLICATION_PASSWORD)));
  }

  public Connection as(String user, String password, boolean replication) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("sslmode", "require");
    if (replication) {
      p.setProperty("replication", "database");
      p.setProperty("assumeMinServerVersion", "10");
      p.setProperty("preferQueryMode", "simple");
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + DB, p);
  }

  public Connection master() throws SQLException {
    return as(MASTER, MASTER_PASSWORD, false);
  }

  @Override
  public void close() {
    sync.shutdownNow();
    server.close();
  }
}
