package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The schema onramp creates in ({@code public} of the configured database), where sources,
 * subsources, tables, connections and secrets share one namespace, and the privileges the
 * configured user holds there.
 */
final class MzNamespace {
  private final String database;

  MzNamespace(String database) {
    this.database = database;
  }

  /** A catalog item: its id, what it is (source, table, connection, secret) and its type. */
  record Item(String id, String kind, String type) {}

  /** The item named {@code name}, or null. */
  Item item(Connection c, String name) throws SQLException {
    String inSchema =
        " AND schema_id IN (SELECT s.id FROM mz_catalog.mz_schemas s JOIN"
            + " mz_catalog.mz_databases d ON d.id = s.database_id WHERE s.name = 'public' AND"
            + " d.name = ?)";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, 'source', type FROM mz_catalog.mz_sources WHERE name = ?"
                + inSchema
                + " UNION ALL SELECT id, 'table', 'table' FROM mz_catalog.mz_tables WHERE name = ?"
                + inSchema
                + " UNION ALL SELECT id, 'connection', type FROM mz_catalog.mz_connections WHERE"
                + " name = ?"
                + inSchema
                + " UNION ALL SELECT id, 'secret', 'secret' FROM mz_catalog.mz_secrets WHERE name"
                + " = ?"
                + inSchema)) {
      for (int i = 0; i < 4; i++) {
        ps.setString(2 * i + 1, name);
        ps.setString(2 * i + 2, database);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Item(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
      }
    }
  }

  /** The sentence for a name wanted for one thing and taken by another. */
  static String taken(String name, Item item, String wantedFor) {
    String what = item.kind().equals("source") ? item.type() + " source" : item.kind();
    return name
        + " is wanted for "
        + wantedFor
        + " but is already taken by a "
        + what
        + " (catalog item '"
        + name
        + "' already exists); drop it or choose another name";
  }

  /**
   * Whether the user holds a system privilege. Superusers hold all; otherwise Materialize lists the
   * session's own grants in {@code mz_internal.mz_show_my_system_privileges}.
   */
  static boolean hasSystemPrivilege(Connection c, String privilege) throws SQLException {
    return isSuperuser(c)
        || Sql.exists(
            c,
            "SELECT 1 FROM mz_internal.mz_show_my_system_privileges WHERE privilege_type = ?",
            privilege);
  }

  boolean hasSchemaCreate(Connection c) throws SQLException {
    return isSuperuser(c)
        || Sql.exists(
            c,
            "SELECT 1 FROM mz_internal.mz_show_my_schema_privileges WHERE database = ? AND name ="
                + " 'public' AND privilege_type = 'CREATE'",
            database);
  }

  private static boolean isSuperuser(Connection c) throws SQLException {
    return "on".equalsIgnoreCase(Sql.single(c, "SHOW is_superuser"));
  }
}
