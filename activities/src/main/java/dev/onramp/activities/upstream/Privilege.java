package dev.onramp.activities.upstream;

import static dev.onramp.activities.upstream.UpstreamTables.display;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One privilege the replication role needs, written in a ledger as GRANT names it ({@code CONNECT},
 * {@code USAGE ON SCHEMA s}, {@code SELECT ON s.t}, {@code rds_replication}, {@code REPLICATION}),
 * several joined by {@code "; "}. On RDS membership in rds_replication is what grants replication;
 * on self-managed PostgreSQL it is the REPLICATION attribute.
 */
record Privilege(Type type, QualifiedName table, String schema) {
  enum Type {
    RDS_REPLICATION,
    REPLICATION,
    CONNECT,
    USAGE,
    SELECT
  }

  static Privilege of(Type type) {
    return new Privilege(type, null, null);
  }

  static Privilege usage(String schema) {
    return new Privilege(Type.USAGE, null, schema);
  }

  static Privilege select(QualifiedName table) {
    return new Privilege(Type.SELECT, table, null);
  }

  /** Whether {@code user} holds it (directly, through PUBLIC or a role it belongs to). */
  boolean heldBy(Connection c, String user) throws SQLException {
    return switch (type) {
      case RDS_REPLICATION ->
          Sql.bool(c, "SELECT pg_has_role(?, 'rds_replication', 'MEMBER')", user);
      case REPLICATION ->
          Sql.bool(c, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = ?", user);
      case CONNECT ->
          Sql.bool(c, "SELECT has_database_privilege(?, current_database(), 'CONNECT')", user);
      case USAGE -> Sql.bool(c, "SELECT has_schema_privilege(?, ?, 'USAGE')", user, schema);
      case SELECT ->
          Sql.bool(
              c, "SELECT has_table_privilege(?, to_regclass(?), 'SELECT')", user, table.quoted());
    };
  }

  /** Replication is a property of the role across the instance, not of one database. */
  boolean clusterWide() {
    return type == Type.RDS_REPLICATION || type == Type.REPLICATION;
  }

  /** Whether the object it is on still exists (a database, the rds_replication role, a table). */
  boolean objectExists(Connection c) throws SQLException {
    return switch (type) {
      case USAGE -> Sql.exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema);
      case SELECT -> Sql.single(c, "SELECT to_regclass(?)::text", table.quoted()) != null;
      default -> true;
    };
  }

  String grant(String database, String user) {
    String role = SqlIdentifiers.quote(user);
    return switch (type) {
      case RDS_REPLICATION -> "GRANT rds_replication TO " + role;
      case REPLICATION -> "ALTER ROLE " + role + " REPLICATION";
      case CONNECT -> "GRANT CONNECT ON DATABASE " + SqlIdentifiers.quote(database) + " TO " + role;
      case USAGE -> "GRANT USAGE ON SCHEMA " + SqlIdentifiers.quote(schema) + " TO " + role;
      case SELECT -> "GRANT SELECT ON TABLE " + table.quoted() + " TO " + role;
    };
  }

  String revoke(String database, String user) {
    String role = SqlIdentifiers.quote(user);
    return switch (type) {
      case RDS_REPLICATION -> "REVOKE rds_replication FROM " + role;
      case REPLICATION -> "ALTER ROLE " + role + " NOREPLICATION";
      case CONNECT ->
          "REVOKE CONNECT ON DATABASE " + SqlIdentifiers.quote(database) + " FROM " + role;
      case USAGE -> "REVOKE USAGE ON SCHEMA " + SqlIdentifiers.quote(schema) + " FROM " + role;
      case SELECT -> "REVOKE SELECT ON TABLE " + table.quoted() + " FROM " + role;
    };
  }

  /** What granting it did, as {@code UpstreamObjects.changes} has always said it. */
  String granted(String database, String user) {
    return switch (type) {
      case RDS_REPLICATION -> "granted rds_replication to " + user;
      case REPLICATION -> "gave " + user + " the REPLICATION attribute";
      case CONNECT -> "granted CONNECT on database " + database;
      case USAGE -> "granted USAGE on schema " + display(schema);
      case SELECT -> "granted SELECT on " + display(table);
    };
  }

  /** What lacking it means, as re-verification has always said it. */
  String lacking(String database, String user) {
    return switch (type) {
      case RDS_REPLICATION, REPLICATION ->
          "user " + user + " lacks the replication privilege (rds_replication)";
      case CONNECT -> "user " + user + " lacks CONNECT on database " + database;
      case USAGE -> "user " + user + " lacks USAGE on schema " + display(schema);
      case SELECT -> "user " + user + " lacks SELECT on " + display(table);
    };
  }

  /** As a ledger writes it. */
  String text() {
    return switch (type) {
      case RDS_REPLICATION -> "rds_replication";
      case REPLICATION -> "REPLICATION";
      case CONNECT -> "CONNECT";
      case USAGE -> "USAGE ON SCHEMA " + display(schema);
      case SELECT -> "SELECT ON " + display(table);
    };
  }

  static String join(List<Privilege> privileges) {
    return String.join("; ", privileges.stream().map(Privilege::text).toList());
  }

  /** The inverse of {@link #join}; {@code "; "} inside a quoted identifier does not separate. */
  static List<Privilege> parseAll(String text) {
    List<Privilege> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (!quoted && text.startsWith("; ", i)) {
        out.add(parse(text.substring(start, i)));
        start = i + 2;
        i++;
      }
    }
    out.add(parse(text.substring(start)));
    return out;
  }

  private static Privilege parse(String token) {
    if (token.startsWith("USAGE ON SCHEMA ")) {
      return usage(SqlIdentifiers.parseIdentifier(token.substring("USAGE ON SCHEMA ".length())));
    }
    if (token.startsWith("SELECT ON ")) {
      return select(UpstreamTables.parse(token.substring("SELECT ON ".length())));
    }
    return switch (token) {
      case "rds_replication" -> of(Type.RDS_REPLICATION);
      case "REPLICATION" -> of(Type.REPLICATION);
      case "CONNECT" -> of(Type.CONNECT);
      default -> throw new IllegalArgumentException("not a privilege onramp grants: " + token);
    };
  }
}
