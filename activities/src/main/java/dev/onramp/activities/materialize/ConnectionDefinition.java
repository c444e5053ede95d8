package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection's definition as options (HOST, PORT, ...): the one a {@link
 * ConnectionSpec} wants, the one Materialize shows in {@code create_sql}, and the difference.
 */
final class ConnectionDefinition {
  private static final String STRING = "'((?:[^']|'')*)'";
  private static final String NAME =
      "((?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][\\w$]*)(?:\\s*\\.\\s*(?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][\\w$]*))*)";

  private ConnectionDefinition() {}

  /** The options the spec asks for, with Materialize's defaults filled in as onramp sets them. */
  static Map<String, String> wanted(ConnectionSpec spec) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HOST", spec.host());
    m.put("PORT", Integer.toString(spec.port() == 0 ? 5432 : spec.port()));
    m.put("USER", spec.user());
    m.put("DATABASE", spec.database());
    m.put(
        "SSL MODE",
        spec.sslMode() == null
            ? "require"
            : spec.sslMode().toLowerCase(Locale.ROOT).replace('-', '_'));
    m.put("PASSWORD SECRET", spec.passwordSecret());
    m.put("SSH TUNNEL", spec.sshTunnelConnection());
    m.put("AWS PRIVATELINK", spec.privatelinkConnection());
    return m;
  }

  /**
   * {@code CREATE CONNECTION ... TO POSTGRES} for the spec (validated by Materialize on create).
   */
  static String createStatement(ConnectionSpec spec, String upstreamCertificateAuthority) {
    Map<String, String> wanted = wanted(spec);
    StringBuilder sql = new StringBuilder("CREATE CONNECTION ");
    sql.append(SqlIdentifiers.quote(spec.name())).append(" TO POSTGRES (");
    sql.append("HOST ").append(Sql.literal(spec.host()));
    sql.append(", PORT ").append(wanted.get("PORT"));
    sql.append(", USER ").append(Sql.literal(spec.user()));
    sql.append(", PASSWORD SECRET ").append(SqlIdentifiers.quote(spec.passwordSecret()));
    sql.append(", SSL MODE ").append(Sql.literal(wanted.get("SSL MODE")));
    if (upstreamCertificateAuthority != null && wanted.get("SSL MODE").startsWith("verify")) {
      sql.append(", SSL CERTIFICATE AUTHORITY = ")
          .append(Sql.literal(upstreamCertificateAuthority));
    }
    sql.append(", DATABASE ").append(Sql.literal(spec.database()));
    if (spec.sshTunnelConnection() != null) {
      sql.append(", SSH TUNNEL ").append(SqlIdentifiers.quote(spec.sshTunnelConnection()));
    }
    if (spec.privatelinkConnection() != null) {
      sql.append(", AWS PRIVATELINK ").append(SqlIdentifiers.quote(spec.privatelinkConnection()));
    }
    return sql.append(")").toString();
  }

  /** The type and create_sql of the connection named {@code name}, or null. */
  static String[] typeAndSql(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT type, create_sql FROM mz_catalog.mz_connections WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
      }
    }
  }

  /**
   * Null when no connection has this name; empty when one exists with this definition; otherwise
   * what is wrong with the one that exists, as a sentence naming the fix.
   */
  static Optional<String> problem(Connection c, ConnectionSpec spec) throws SQLException {
    String[] existing = typeAndSql(c, spec.name());
    if (existing == null) {
      return null;
    }
    if (!"postgres".equals(existing[0])) {
      return Optional.of(
          "connection "
              + spec.name()
              + " exists and is a "
              + existing[0]
              + " connection, not a PostgreSQL one; use another name");
    }
    List<String> differences = differences(options(existing[1]), wanted(spec));
    if (differences.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "connection "
            + spec.name()
            + " already exists with a different definition: "
            + String.join("; ", differences)
            + ". Drop it (DROP CONNECTION "
            + SqlIdentifiers.quote(spec.name())
            + " CASCADE) or choose another name");
  }

  /** {@code KEY is 'actual', wanted 'w'} for every wanted option that differs. */
  static List<String> differences(Map<String, String> actual, Map<String, String> wanted) {
    List<String> out = new ArrayList<>();
    wanted.forEach(
        (k, v) -> {
          String a = actual.get(k);
          if (!Objects.equals(a, v)) {
            out.add(k + " is " + show(a) + ", wanted " + show(v));
          }
        });
    return out;
  }

  static String show(String v) {
    return v == null ? "unset" : "'" + v + "'";
  }

  /**
   * The options of a {@code CREATE CONNECTION ... TO POSTGRES} statement as Materialize shows it in
   * {@code create_sql} (normalized as {@code HOST = 'h'} or as written, {@code HOST 'h'}).
   */
  static Map<String, String> options(String createSql) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HOST", string(createSql, "\\bHOST"));
    String port = find(createSql, "\\bPORT\\s*=?\\s*(\\d+)");
    m.put("PORT", port == null ? "5432" : port);
    m.put("USER", string(createSql, "\\bUSER"));
    m.put("DATABASE", string(createSql, "\\bDATABASE"));
    String ssl = string(createSql, "\\bSSL\\s+MODE");
    m.put("SSL MODE", ssl == null ? "disable" : ssl.toLowerCase(Locale.ROOT).replace('-', '_'));
    m.put("PASSWORD SECRET", lastPart(find(createSql, "\\bPASSWORD\\s*=?\\s*SECRET\\s+" + NAME)));
    m.put("SSH TUNNEL", lastPart(find(createSql, "\\bSSH\\s+TUNNEL\\s*=?\\s*" + NAME)));
    m.put("AWS PRIVATELINK", lastPart(find(createSql, "\\bAWS\\s+PRIVATELINK\\s*=?\\s*" + NAME)));
    return m;
  }

  /** The string value of option {@code key} in a statement, unquoted. */
  static String string(String sql, String key) {
    String v = find(sql, key + "\\s*=?\\s*" + STRING);
    return v == null ? null : v.replace("''", "'");
  }

  private static String find(String sql, String regex) {
    Matcher m = Pattern.compile("(?i)" + regex).matcher(sql == null ? "" : sql);
    return m.find() ? m.group(1) : null;
  }

  /** The last part of a possibly qualified, possibly quoted name, unquoted. */
  static String lastPart(String name) {
    if (name == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([A-Za-z_][\\w$]*)").matcher(name);
    while (m.find()) {
      parts.add(
          m.group(1) != null
              ? m.group(1).replace("\"\"", "\"")
              : m.group(2).toLowerCase(Locale.ROOT));
    }
    return parts.isEmpty() ? null : parts.get(parts.size() - 1);
  }
}
