package dev.onramp.activities.upstream;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What onboarding and offboarding may touch upstream, read as the master user: publications (with
 * comment and tables), roles (login, comment) and memberships, replica identities, replication
 * slots, and the effective privileges on tables, schemas and databases (an ACL put back to its
 * default compares equal to the default it was).
 */
final class UpstreamCatalog {
  private UpstreamCatalog() {}

  static Connection connect(RdsLikeUpstream upstream, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", RdsLikeUpstream.MASTER);
    p.setProperty("password", RdsLikeUpstream.MASTER_PASSWORD);
    p.setProperty("sslmode", "require");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + upstream.port() + "/" + database, p);
  }

  private static final String GRANTEE =
      "CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END";
  private static final String USER_SCHEMAS =
      "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'rds_catalog')";

  static List<String> snapshot(RdsLikeUpstream upstream, String database) throws SQLException {
    String sql =
        "SELECT * FROM ("
            + "SELECT 'publication ' || p.pubname || ' all=' || p.puballtables || ' '"
            + " || coalesce(obj_description(p.oid, 'pg_publication'), '-') || ' '"
            + " || coalesce((SELECT string_agg(t.schemaname || '.' || t.tablename, ','"
            + " ORDER BY t.schemaname, t.tablename) FROM pg_publication_tables t WHERE t.pubname = p.pubname), '')"
            + " FROM pg_publication p"
            + " UNION ALL SELECT 'role ' || rolname || ' login=' || rolcanlogin || ' super='"
            + " || rolsuper || ' comment=' || coalesce(shobj_description(oid, 'pg_authid'), '-')"
            + " FROM pg_roles"
            + " UNION ALL SELECT 'member ' || roleid::regrole || ' <- ' || member::regrole"
            + " || ' admin=' || admin_option FROM pg_auth_members"
            + " UNION ALL SELECT 'identity ' || c.oid::regclass || ' ' || c.relreplident::text"
            + " || coalesce(' ' || (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid"
            + " = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident), '')"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND "
            + USER_SCHEMAS
            + " UNION ALL SELECT 'slot ' || slot_name || ' ' || coalesce(database, '-')"
            + " FROM pg_replication_slots"
            + " UNION ALL SELECT 'acl table ' || c.oid::regclass || ' ' || "
            + GRANTEE
            + " || ' ' || a.privilege_type FROM pg_class c JOIN pg_namespace n ON n.oid ="
            + " c.relnamespace CROSS JOIN LATERAL aclexplode(coalesce(c.relacl,"
            + " acldefault('r', c.relowner))) a WHERE c.relkind IN ('r', 'p') AND "
            + USER_SCHEMAS
            + " UNION ALL SELECT 'acl schema ' || n.nspname || ' ' || "
            + GRANTEE
            + " || ' ' || a.privilege_type FROM pg_namespace n CROSS JOIN LATERAL"
            + " aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE "
            + USER_SCHEMAS
            + " UNION ALL SELECT 'acl database ' || d.datname || ' ' || "
            + GRANTEE
            + " || ' ' || a.privilege_type FROM pg_database d CROSS JOIN LATERAL"
            + " aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a"
            + ") s(line) ORDER BY 1";
    List<String> rows = new ArrayList<>();
    try (Connection c = connect(upstream, database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
