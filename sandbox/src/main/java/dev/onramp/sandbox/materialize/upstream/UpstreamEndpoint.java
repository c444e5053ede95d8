package dev.onramp.sandbox.materialize.upstream;

import dev.onramp.sandbox.materialize.Faults;
import dev.onramp.sandbox.materialize.MzSqlException;
import dev.onramp.sandbox.materialize.tunnel.SshTunnelSpec;
import dev.onramp.sandbox.materialize.tunnel.SshTunnels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.postgresql.PGProperty;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * How to reach the upstream PostgreSQL as the connection's user. The password is kept out of {@link
 * #toString()}.
 */
public record UpstreamEndpoint(
    String host,
    int port,
    String database,
    String user,
    String password,
    String sslMode,
    String certificateAuthority,
    SshTunnelSpec sshTunnel) {

  /** Reached directly, without an SSH TUNNEL. */
  public UpstreamEndpoint(
      String host,
      int port,
      String database,
      String user,
      String password,
      String sslMode,
      String certificateAuthority) {
    this(host, port, database, user, password, sslMode, certificateAuthority, null);
  }

  /** The same endpoint, reached through {@code tunnel} (null: directly). */
  public UpstreamEndpoint through(SshTunnelSpec tunnel) {
    return new UpstreamEndpoint(
        host, port, database, user, password, sslMode, certificateAuthority, tunnel);
  }

  /** Without SSL CERTIFICATE AUTHORITY: verify modes trust the system's CAs, as Materialize. */
  public UpstreamEndpoint(
      String host, int port, String database, String user, String password, String sslMode) {
    this(host, port, database, user, password, sslMode, null);
  }

  @Override
  public String toString() {
    return "UpstreamEndpoint["
        + user
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database
        + ", sslmode="
        + sslMode
        + (sshTunnel == null ? "" : ", via ssh " + sshTunnel.user() + "@" + sshTunnel.host())
        + "]";
  }

  /**
   * Names no host or database: the connection's DATABASE is whatever CREATE CONNECTION said, and in
   * URL text {@code shop?PGHOST=...} would steer the connection elsewhere. Materialize hands host,
   * port and database to its client as separate values; so do we, as properties.
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://";
  }

  /** pgjdbc properties: Materialize's SSL MODE values map onto libpq's. */
  public Properties properties(boolean replication) {
    Properties p = new Properties();
    PGProperty.PG_HOST.set(p, host);
    PGProperty.PG_PORT.set(p, port);
    PGProperty.PG_DBNAME.set(p, database);
    PGProperty.USER.set(p, user);
    if (password != null) {
      PGProperty.PASSWORD.set(p, password);
    }
    PGProperty.SSL_MODE.set(p, sslMode.replace('_', '-'));
    if (sslMode.startsWith("verify")) {
      // SSL CERTIFICATE AUTHORITY is PEM text; without it Materialize uses the system's default
      // CA certificates (Materialize docs, CREATE CONNECTION, PostgreSQL options).
      if (certificateAuthority != null) {
        PGProperty.SSL_ROOT_CERT.set(p, caFile(certificateAuthority).toString());
      } else {
        PGProperty.SSL_FACTORY.set(p, "org.postgresql.ssl.DefaultJavaSSLFactory");
      }
    }
    PGProperty.CONNECT_TIMEOUT.set(p, 10);
    PGProperty.APPLICATION_NAME.set(p, "materialize");
    if (replication) {
      PGProperty.REPLICATION.set(p, "database");
      PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
      PGProperty.PREFER_QUERY_MODE.set(p, "simple");
    }
    return p;
  }

  /** pgjdbc reads a CA from a file: one per distinct PEM, kept for the JVM's life. */
  private static Path caFile(String pem) {
    return CA_FILES.computeIfAbsent(
        pem,
        text -> {
          try {
            Path f = Files.createTempFile("mz-standin-ca", ".pem");
            f.toFile().deleteOnExit();
            Files.writeString(f, text);
            return f;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static final Map<String, Path> CA_FILES = new ConcurrentHashMap<>();

  /** Opens a connection, translating failures into Materialize's error texts. */
  public Connection connect(Faults faults, boolean replication) {
    if (faults.upstreamUnreachable()) {
      throw new MzSqlException(MzSqlException.CONNECTION_EXCEPTION, Faults.UNREACHABLE_ERROR);
    }
    try {
      Properties properties = properties(replication);
      if (sshTunnel != null) {
        // Through the bastion: the connection goes to a local forward of host:port (ssh -L).
        InetSocketAddress local = SshTunnels.shared().forward(sshTunnel, host, port);
        PGProperty.PG_HOST.set(properties, local.getHostString());
        PGProperty.PG_PORT.set(properties, local.getPort());
      }
      return DriverManager.getConnection(jdbcUrl(), properties);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Materialize's PostgreSQL client (tokio-postgres) prints server errors as {@code db error:
   * SEVERITY: message} and network errors as {@code error connecting to server: ...}.
   */
  public static MzSqlException translate(SQLException e) {
    if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
      ServerErrorMessage m = pe.getServerErrorMessage();
      String severity = m.getSeverity() == null ? "ERROR" : m.getSeverity();
      return new MzSqlException(
          MzSqlException.CONNECTION_EXCEPTION,
          "db error: " + severity + ": " + m.getMessage(),
          m.getDetail(),
          m.getHint());
    }
    return new MzSqlException(MzSqlException.CONNECTION_EXCEPTION, describe(e));
  }

  /** The text of a non-server error, in tokio-postgres' words where we know them. */
  public static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return Faults.UNREACHABLE_ERROR;
      }
      if (t instanceof UnknownHostException) {
        return "error connecting to server: failed to lookup address information: Name or"
            + " service not known";
      }
      if (t instanceof NoRouteToHostException) {
        return "error connecting to server: No route to host (os error 113)";
      }
      if (t instanceof SocketTimeoutException) {
        return "error connecting to server: timed out";
      }
      if (t instanceof SSLException
          || t instanceof CertificateException
          || (t.getMessage() != null && t.getMessage().contains("could not be verified"))) {
        // Materialize connects with OpenSSL (rust-openssl): its verification failure.
        return "error performing TLS handshake: error:0A000086:SSL routines:"
            + "tls_post_process_server_certificate:certificate verify failed";
      }
      if (t.getMessage() != null && t.getMessage().contains("does not support SSL")) {
        return "error performing TLS handshake: server does not support TLS";
      }
    }
    return e.getMessage();
  }
}
