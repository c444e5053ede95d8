package dev.onramp.activities.pg;

import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * Where a pgjdbc connection goes, as connection properties rather than URL text. A database name is
 * a request value, and in a URL it is parsed: {@code shop?PGHOST=10.0.0.9&x=} would send the
 * connection, and the password with it, to another host. With the URL {@value #URL} (no host, no
 * database) pgjdbc takes {@code PGHOST}, {@code PGPORT} and {@code PGDBNAME} from the properties as
 * they are (pgjdbc's {@code Driver.parseURL} keeps the given properties as defaults).
 */
public final class PgConnectionProperties {
  /** A URL that names nothing; the properties name the server and database. */
  public static final String URL = "jdbc:postgresql://";

  private PgConnectionProperties() {}

  /** Host, port and database as properties; add credentials, TLS and timeouts to the result. */
  public static Properties of(String host, int port, String database) {
    Properties p = new Properties();
    PGProperty.PG_HOST.set(p, host);
    PGProperty.PG_PORT.set(p, port);
    PGProperty.PG_DBNAME.set(p, database);
    return p;
  }
}
