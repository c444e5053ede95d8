package dev.onramp.sandbox.materialize;

import dev.onramp.sandbox.materialize.Catalog.Item;
import dev.onramp.sandbox.materialize.sql.MzStatement;
import dev.onramp.sandbox.materialize.upstream.UpstreamEndpoint;
import dev.onramp.sandbox.materialize.upstream.UpstreamValidator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ALTER CONNECTION ... SET/DROP/RESET} on a PostgreSQL connection
 * (MZ:doc/user/content/sql/alter-connection.md): the new definition is validated unless {@code
 * VALIDATE = false}, {@code create_sql} is rewritten in Materialize's normalized {@code OPTION =
 * value} form, and the sources that use the connection restart with it.
 */
final class ConnectionAlteration {
  private final Catalog catalog;
  private final UpstreamValidator validator;
  private final Ingestions ingestions;

  ConnectionAlteration(Catalog catalog, UpstreamValidator validator, Ingestions ingestions) {
    this.catalog = catalog;
    this.validator = validator;
    this.ingestions = ingestions;
  }

  String alter(MzStatement.AlterConnection s, List<String> notices) throws SQLException {
    List<String> sources;
    try (Connection c = catalog.connect()) {
      c.setAutoCommit(false);
      Optional<Item> found = catalog.findItem(c, s.name());
      if (found.isEmpty()) {
        if (s.ifExists()) {
          notices.add("connection \"" + s.name() + "\" does not exist, skipping");
          return "ALTER CONNECTION";
        }
        throw StatementExecutor.unknownItem(s.name());
      }
      Item item = found.get();
      StatementExecutor.requireKind(item, "connection");
      if (!"postgres".equals(item.type())) {
        throw MzSqlException.unsupported(
            "ALTER CONNECTION of a "
                + item.type()
                + " connection is not supported by the stand-in");
      }
      // host, port, database, username, ssl_mode, password_secret_id, ssl_ca
      String[] d = StatementExecutor.connectionDetails(c, item.id());
      Map<String, String> o = new HashMap<>();
      o.put("HOST", d[0]);
      o.put("PORT", d[1]);
      o.put("DATABASE", d[2]);
      o.put("USER", d[3]);
      o.put("SSL MODE", d[4]);
      o.put(
          "PASSWORD",
          d[5] == null
              ? null
              : Jdbc.string(c, "SELECT name FROM mz_catalog.mz_secrets WHERE id = ?", d[5]));
      for (String option : s.reset()) {
        if (List.of("HOST", "DATABASE", "USER").contains(option)) {
          throw new MzSqlException(
              MzSqlException.SYNTAX_ERROR, "cannot RESET required option " + option);
        }
        o.put(
            option, option.equals("PORT") ? "5432" : option.equals("SSL MODE") ? "disable" : null);
      }
      o.putAll(s.set());
      String secretId = null;
      String password = null;
      if (o.get("PASSWORD") != null) {
        Item secret =
            catalog
                .findItem(c, o.get("PASSWORD"))
                .orElseThrow(() -> StatementExecutor.unknownItem(o.get("PASSWORD")));
        StatementExecutor.requireKind(secret, "secret");
        secretId = secret.id();
        password = StatementExecutor.secretValue(c, secretId);
      }
      int port = Integer.parseInt(o.get("PORT"));
      if (s.validate()) {
        validator.validateConnection(
            new UpstreamEndpoint(
                o.get("HOST"),
                port,
                o.get("DATABASE"),
                o.get("USER"),
                password,
                o.get("SSL MODE"),
                d[6]));
      }
      Jdbc.update(
          c,
          "UPDATE mz_standin.pg_connections SET host = ?, port = ?, database = ?, username = ?,"
              + " password_secret_id = ?, ssl_mode = ? WHERE id = ?",
          o.get("HOST"),
          port,
          o.get("DATABASE"),
          o.get("USER"),
          secretId,
          o.get("SSL MODE"),
          item.id());
      Jdbc.update(
          c,
          "DELETE FROM mz_internal.mz_object_dependencies WHERE object_id = ? AND"
              + " referenced_object_id IN (SELECT id FROM mz_catalog.mz_secrets)",
          item.id());
      if (secretId != null) {
        StatementExecutor.dependency(c, item.id(), secretId);
      }
      String tunnel =
          Jdbc.string(
              c,
              "SELECT cn.name FROM mz_standin.pg_connections p JOIN mz_catalog.mz_connections cn"
                  + " ON cn.id = p.ssh_tunnel_id WHERE p.id = ?",
              item.id());
      String sql = normalized(s.name(), o, d[6], tunnel);
      Jdbc.update(
          c,
          "UPDATE mz_catalog.mz_connections SET create_sql = ?, redacted_create_sql = ? WHERE id"
              + " = ?",
          sql,
          sql,
          item.id());
      sources =
          Jdbc.strings(
              c, "SELECT id FROM mz_standin.pg_sources WHERE connection_id = ?", item.id());
      c.commit();
    }
    sources.forEach(ingestions::restart);
    return "ALTER CONNECTION";
  }

  /** The statement as Materialize shows it after an ALTER: qualified names, {@code KEY = value}. */
  private static String normalized(String name, Map<String, String> o, String ca, String tunnel) {
    StringBuilder b =
        new StringBuilder("CREATE CONNECTION ")
            .append(qualified(name))
            .append(" TO POSTGRES (DATABASE = ")
            .append(literal(o.get("DATABASE")))
            .append(", HOST = ")
            .append(literal(o.get("HOST")));
    if (o.get("PASSWORD") != null) {
      b.append(", PASSWORD = SECRET ").append(qualified(o.get("PASSWORD")));
    }
    b.append(", PORT = ").append(o.get("PORT"));
    if (ca != null) {
      b.append(", SSL CERTIFICATE AUTHORITY = ").append(literal(ca));
    }
    b.append(", SSL MODE = ").append(literal(o.get("SSL MODE")));
    if (tunnel != null) {
      b.append(", SSH TUNNEL = ").append(qualified(tunnel));
    }
    return b.append(", USER = ").append(literal(o.get("USER"))).append(")").toString();
  }

  private static String qualified(String name) {
    return "\"materialize\".\"public\"." + Jdbc.quoteIdent(name);
  }

  private static String literal(String v) {
    return "'" + v.replace("'", "''") + "'";
  }
}
