package dev.onramp.activities.materialize;

import dev.onramp.activities.pg.PgConnectionProperties;
import dev.onramp.activities.pg.PgTls;
import java.util.Properties;

/**
 * How the worker reaches Materialize over pgwire. The password comes from the worker's environment
 * (an app password in Materialize Cloud); {@link #toString()} hides it.
 */
public record MaterializeSettings(
    String host,
    int port,
    String user,
    String password,
    String database,
    String sslMode,
    String sslRootCert) {

  /** Verified against the JVM's trust store (Materialize Cloud's certificates are public). */
  public MaterializeSettings(
      String host, int port, String user, String password, String database, String sslMode) {
    this(host, port, user, password, database, sslMode, null);
  }

  /** How the server's certificate is checked: verify-full unless {@code sslMode} says. */
  public PgTls tls() {
    return new PgTls(sslMode, sslRootCert);
  }

  /** Names no host or database: those are in {@link #jdbcProperties()}. */
  public String jdbcUrl() {
    return PgConnectionProperties.URL;
  }

  /**
   * pgjdbc properties: host, port and database, credentials, SSL mode, and an application name for
   * mz_sessions.
   */
  public Properties jdbcProperties() {
    Properties p = PgConnectionProperties.of(host, port, database);
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    tls().applyTo(p);
    p.setProperty("ApplicationName", "onramp");
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "120");
    return p;
  }

  @Override
  public String toString() {
    return "MaterializeSettings[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
