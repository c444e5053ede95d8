package dev.onramp.sandbox.postgres;

import dev.onramp.sandbox.tls.SandboxCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server on a data directory of its own, listening on 127.0.0.1 only.
 *
 * <p>Unlike {@code EmbeddedPostgres} it can be stopped and started again on the same data directory
 * and port with different settings, which is what an RDS reboot has to do: static parameters such
 * as {@code wal_level} only change across a postmaster restart.
 *
 * <p>Settings live in {@code sandbox.conf}, included at the end of {@code postgresql.conf}, so that
 * {@link #reload} applies dynamic ones and static ones wait for {@link #restart}. Unix sockets are
 * off; clients (and we) connect over TCP with a password.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final String SETTINGS_FILE = "sandbox.conf";

  private final Path dataDir;
  private final int port;
  private final String superuser;
  private final String superuserPassword;

  private PostgresServer(Path dataDir, int port, String superuser, String superuserPassword) {
    this.dataDir = dataDir;
    this.port = port;
    this.superuser = superuser;
    this.superuserPassword = superuserPassword;
  }

  /**
   * Opens the server on {@code dataDir}, running {@code initdb} first if the directory holds no
   * cluster yet. Does not start it.
   */
  public static PostgresServer open(
      Path dataDir, int port, String superuser, String superuserPassword) {
    PostgresServer server = new PostgresServer(dataDir, port, superuser, superuserPassword);
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      server.initdb();
    }
    return server;
  }

  /** A free TCP port on 127.0.0.1, chosen by the kernel. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  public String superuser() {
    return superuser;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private void initdb() {
    try {
      Files.createDirectories(dataDir);
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
      Path pwfile = Files.createTempFile("pw", ".txt");
      try {
        Files.writeString(pwfile, superuserPassword + "\n");
        run(
            Duration.ofMinutes(2),
            PostgresBinaries.command(
                "initdb",
                "-D",
                dataDir.toString(),
                "-U",
                superuser,
                "--pwfile=" + pwfile,
                "-A",
                "scram-sha-256",
                "-E",
                "UTF-8",
                "--locale=C.UTF-8",
                "--no-sync"));
      } finally {
        Files.deleteIfExists(pwfile);
      }
      Files.writeString(
          dataDir.resolve("postgresql.conf"),
          "\n# Settings managed by the onramp sandbox\ninclude_if_exists = '"
              + SETTINGS_FILE
              + "'\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
      writeSettings(Map.of());
      writeHba(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the settings file. {@code listen_addresses}, {@code port} and the socket directory are
   * always ours; the rest comes from the caller.
   */
  public void writeSettings(Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("listen_addresses", "127.0.0.1");
    all.put("port", Integer.toString(port));
    all.put("unix_socket_directories", "");
    all.put("password_encryption", "scram-sha-256");
    all.putAll(settings);
    StringBuilder sb = new StringBuilder("# Written by the onramp sandbox; do not edit.\n");
    all.forEach((k, v) -> sb.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
    try {
      Files.writeString(dataDir.resolve(SETTINGS_FILE), sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code pg_hba.conf}: password (SCRAM) authentication from 127.0.0.1 for everyone; with
   * {@code sslOnly} (RDS's {@code rds.force_ssl=1}) other users must use SSL, while the superuser
   * may always connect without it (it is the emulator itself).
   */
  public void writeHba(boolean sslOnly) {
    String type = sslOnly ? "hostssl" : "host";
    String hba =
        "# Written by the onramp sandbox; do not edit.\n"
            + "host all "
            + superuser
            + " 127.0.0.1/32 scram-sha-256\n"
            + type
            + " replication all 127.0.0.1/32 scram-sha-256\n"
            + type
            + " all all 127.0.0.1/32 scram-sha-256\n";
    try {
      Files.writeString(dataDir.resolve("pg_hba.conf"), hba);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Has {@code ca} issue this server a certificate for 127.0.0.1/localhost (once, kept in the data
   * directory) and returns the settings that turn SSL on with it, so clients can verify the server
   * with {@code sslmode=verify-full} against the CA. Needs {@code openssl} on the PATH.
   */
  public Map<String, String> ensureCertificate(SandboxCa ca) {
    Path crt = dataDir.resolve("server.crt");
    Path key = dataDir.resolve("server.key");
    ca.issueServerCertificate(crt, key, SandboxCa.LOOPBACK_NAMES);
    Map<String, String> ssl = new LinkedHashMap<>();
    ssl.put("ssl", "on");
    ssl.put("ssl_cert_file", crt.toString());
    ssl.put("ssl_key_file", key.toString());
    return ssl;
  }

  public synchronized boolean isRunning() {
    Path pid = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return false;
    }
    int code =
        runForExitCode(PostgresBinaries.command("pg_ctl", "status", "-D", dataDir.toString()));
    return code == 0;
  }

  /** Starts the server and waits until it accepts connections. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    run(
        Duration.ofMinutes(2),
        PostgresBinaries.command(
            "pg_ctl", "start", "-D", dataDir.toString(), "-l", log.toString(), "-w", "-t", "90"));
    LOG.info("PostgreSQL started on 127.0.0.1:{} ({})", port, dataDir);
  }

  /** Stops the server with a fast shutdown (open sessions are disconnected, as on a reboot). */
  public synchronized void stop() {
    if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
      return;
    }
    int code =
        runForExitCode(
            PostgresBinaries.command(
                "pg_ctl", "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"));
    if (code != 0 && isRunning()) {
      runForExitCode(
          PostgresBinaries.command(
              "pg_ctl", "stop", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "30"));
    }
    LOG.info("PostgreSQL stopped on 127.0.0.1:{} ({})", port, dataDir);
  }

  public synchronized void restart() {
    stop();
    start();
  }

  /** Re-reads the configuration files (dynamic settings and pg_hba.conf). */
  public void reload() {
    try (Connection c = connectAsSuperuser("postgres")) {
      c.createStatement().execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reload PostgreSQL on port " + port, e);
    }
  }

  public Connection connectAsSuperuser(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", superuser);
    p.setProperty("password", superuserPassword);
    p.setProperty("sslmode", "disable");
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  @Override
  public void close() {
    stop();
  }

  private static void run(Duration timeout, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command.get(command.size() > 2 ? 2 : 0));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "command failed ("
                + p.exitValue()
                + "): "
                + String.join(" ", command)
                + "\n"
                + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int runForExitCode(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
