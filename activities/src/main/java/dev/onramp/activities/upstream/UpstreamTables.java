package dev.onramp.activities.upstream;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The tables a selection names, as the catalog has them, and how names are shown to people. */
final class UpstreamTables {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

  /** Schemas that never hold replicated tables. */
  private static final String SYSTEM_SCHEMAS =
      "('pg_catalog', 'information_schema', 'pg_toast', 'rds_catalog')";

  private UpstreamTables() {}

  /** The selection's tables; a named table or schema that does not exist is a final failure. */
  static List<QualifiedName> resolve(Connection c, UpstreamTarget target, TableSelection sel)
      throws SQLException {
    List<QualifiedName> out = new ArrayList<>();
    switch (sel.mode()) {
      case TABLES -> {
        for (QualifiedName t : sel.tableNames()) {
          if (!Sql.exists(
              c,
              "SELECT 1 FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE"
                  + " n.nspname = ? AND cl.relname = ? AND cl.relkind IN ('r', 'p')",
              t.schema(),
              t.name())) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.TABLE_NOT_FOUND,
                "table "
                    + display(t)
                    + " does not exist in database "
                    + target.database()
                    + " on "
                    + target.dbInstanceId()
                    + "; check the name (and its case)");
          }
          out.add(t);
        }
      }
      case SCHEMAS -> {
        for (String schema : sel.schemaNames()) {
          if (!Sql.exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.TABLE_NOT_FOUND,
                "schema " + display(schema) + " does not exist in database " + target.database());
          }
          out.addAll(tablesIn(c, "n.nspname = ?", schema));
        }
      }
      case ALL_TABLES -> out.addAll(tablesIn(c, "n.nspname NOT IN " + SYSTEM_SCHEMAS, null));
    }
    return out;
  }

  private static List<QualifiedName> tablesIn(Connection c, String where, String arg)
      throws SQLException {
    List<QualifiedName> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n.nspname, cl.relname FROM pg_class cl JOIN pg_namespace n ON n.oid ="
                + " cl.relnamespace WHERE cl.relkind IN ('r', 'p') AND NOT cl.relispartition AND "
                + where
                + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2")) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new QualifiedName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  static boolean hasPrimaryKey(Connection c, QualifiedName t) throws SQLException {
    return Sql.exists(
        c,
        "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'p'",
        t.quoted());
  }

  static boolean canAlter(Connection c, QualifiedName t) throws SQLException {
    return Sql.bool(
        c,
        "SELECT pg_has_role(current_user, cl.relowner, 'USAGE') FROM pg_class cl WHERE cl.oid ="
            + " to_regclass(?)",
        t.quoted());
  }

  static String owner(Connection c, QualifiedName t) throws SQLException {
    return Sql.single(
        c,
        "SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename = ?",
        t.schema(),
        t.name());
  }

  /** Superuser, or (on RDS) a member of rds_superuser. */
  static boolean isAdmin(Connection c, String role) throws SQLException {
    return Sql.bool(
        c,
        "SELECT r.rolsuper OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_superuser')"
            + " AND pg_has_role(r.oid, 'rds_superuser', 'MEMBER')) FROM pg_roles r WHERE"
            + " r.rolname = ?",
        role);
  }

  static String currentUser(Connection c) throws SQLException {
    return Sql.single(c, "SELECT current_user");
  }

  /** A name as a person would write it: plain when it is plain, quoted otherwise. */
  static String display(QualifiedName q) {
    return display(q.schema()) + "." + display(q.name());
  }

  static String display(String ident) {
    return PLAIN.matcher(ident).matches() ? ident : SqlIdentifiers.quote(ident);
  }

  /** The inverse of {@link #display(QualifiedName)}, for identifiers read back from a ledger. */
  static QualifiedName parse(String displayed) {
    return SqlIdentifiers.parseQualified(displayed, "public");
  }
}
