package dev.onramp.sandbox.materialize.upstream;

import dev.onramp.sandbox.materialize.Faults;
import dev.onramp.sandbox.materialize.MzSqlException;
import dev.onramp.sandbox.materialize.sql.MzStatement.TableRef;
import dev.onramp.sandbox.materialize.sql.MzStatement.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the upstream the way Materialize does when it validates a PostgreSQL connection
 * (MZ:src/storage-types/src/connections.rs) and purifies CREATE SOURCE
 * (MZ:src/sql/src/pure/postgres.rs), with the error texts of MZ:src/sql/src/pure/error.rs.
 */
public final class UpstreamValidator {

  /** Materialize needs two free slots: the source's own and a temporary one for snapshots. */
  static final int REQUIRED_SLOTS = 2;

  /** Types Materialize ingests natively (MZ:src/postgres-util/src/schemas.rs). */
  static final Set<String> SUPPORTED_TYPES =
      Set.of(
          "bool",
          "bpchar",
          "bytea",
          "char",
          "date",
          "daterange",
          "float4",
          "float8",
          "int2",
          "int2vector",
          "int4",
          "int4range",
          "int8",
          "int8range",
          "interval",
          "json",
          "jsonb",
          "numeric",
          "numrange",
          "oid",
          "text",
          "time",
          "timestamp",
          "timestamptz",
          "tsrange",
          "tstzrange",
          "uuid",
          "varchar",
          "name");

  private final Faults faults;

  public UpstreamValidator(Faults faults) {
    this.faults = faults;
  }

  /** What CREATE CONNECTION and VALIDATE CONNECTION check. */
  public void validateConnection(UpstreamEndpoint endpoint) {
    try (Connection c = endpoint.connect(faults, false)) {
      checkServer(c);
    } catch (SQLException e) {
      throw UpstreamEndpoint.translate(e);
    }
  }

  private void checkServer(Connection c) throws SQLException {
    String walLevel = single(c, "SHOW wal_level");
    if (!walLevel.equals("logical")) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "server must have wal_level >= logical, but has " + walLevel);
    }
    int senders = Integer.parseInt(single(c, "SHOW max_wal_senders"));
    if (senders < 1) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "replication disabled on server",
          null,
          "set max_wal_senders to a value > 0");
    }
    int slots = Integer.parseInt(single(c, "SHOW max_replication_slots"));
    int used = Integer.parseInt(single(c, "SELECT count(*) FROM pg_replication_slots"));
    if (slots - used < REQUIRED_SLOTS) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "POSTGRES source validation: PostgreSQL server has insufficient number of replication"
              + " slots available",
          "executing this statement requires " + REQUIRED_SLOTS + " replication slots",
          "you might be able to wait for other sources to finish snapshotting and try again");
    }
  }

  /**
   * What CREATE SOURCE / ALTER SOURCE ADD / CREATE TABLE FROM SOURCE check; returns the tables to
   * ingest.
   *
   * @param requireTables false for the v26 form without FOR clause (no tables yet)
   */
  public List<UpstreamTable> validateSource(
      UpstreamEndpoint endpoint,
      String publication,
      TableSpec spec,
      List<String> textColumns,
      boolean checkReplication) {
    List<UpstreamTable> tables;
    try (Connection c = endpoint.connect(faults, false)) {
      checkServer(c);
      if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
        throw new MzSqlException(
            MzSqlException.UNDEFINED_OBJECT, "publication " + publication + " does not exist");
      }
      Map<String, String[]> published = new LinkedHashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?"
                  + " ORDER BY schemaname, tablename")) {
        ps.setString(1, publication);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            published.put(
                rs.getString(1) + "." + rs.getString(2),
                new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      if (published.isEmpty() && !(spec instanceof TableSpec.None)) {
        throw new MzSqlException(
            MzSqlException.INVALID_PARAMETER_VALUE, "PUBLICATION " + publication + " is empty");
      }
      List<String[]> selected = select(published, spec);
      checkPrivileges(c, endpoint.user(), selected);
      checkReplicaIdentity(c, selected);
      tables = describe(c, endpoint.database(), selected, textColumns);
      checkRowLevelSecurity(c, selected);
    } catch (SQLException e) {
      throw UpstreamEndpoint.translate(e);
    }
    if (checkReplication) {
      checkReplication(endpoint);
    }
    return tables;
  }

  /**
   * Every table of the publication with its columns: what {@code mz_source_references} lists as
   * available to {@code CREATE TABLE ... FROM SOURCE}.
   */
  public List<UpstreamTable> publicationTables(UpstreamEndpoint endpoint, String publication) {
    List<UpstreamTable> out = new ArrayList<>();
    try (Connection c = endpoint.connect(faults, false);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT t.schemaname, t.tablename, array_agg(a.attname::text ORDER BY a.attnum)"
                    + " FROM pg_publication_tables t JOIN pg_namespace n ON n.nspname ="
                    + " t.schemaname JOIN pg_class cl ON cl.relnamespace = n.oid AND cl.relname ="
                    + " t.tablename JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0"
                    + " AND NOT a.attisdropped WHERE t.pubname = ? GROUP BY 1, 2 ORDER BY 1, 2")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<UpstreamTable.Column> cols = new ArrayList<>();
          for (String col : (String[]) rs.getArray(3).getArray()) {
            cols.add(new UpstreamTable.Column(col, "text", 25, false));
          }
          out.add(new UpstreamTable(rs.getString(1), rs.getString(2), cols));
        }
      }
    } catch (SQLException e) {
      throw UpstreamEndpoint.translate(e);
    }
    return out;
  }

  /**
   * Tries the replication privilege for real: PostgreSQL 16 refuses a walsender to a role without
   * REPLICATION with "permission denied to start WAL sender".
   */
  public void checkReplication(UpstreamEndpoint endpoint) {
    try (Connection c = endpoint.connect(faults, true);
        Statement st = c.createStatement()) {
      st.execute("IDENTIFY_SYSTEM");
    } catch (SQLException e) {
      throw UpstreamEndpoint.translate(e);
    }
  }

  private static List<String[]> select(Map<String, String[]> published, TableSpec spec) {
    List<String[]> out = new ArrayList<>();
    if (spec instanceof TableSpec.AllTables) {
      out.addAll(published.values());
    } else if (spec instanceof TableSpec.Schemas s) {
      List<String> missing = new ArrayList<>();
      for (String schema : s.schemas()) {
        List<String[]> inSchema =
            published.values().stream().filter(t -> t[0].equals(schema)).toList();
        if (inSchema.isEmpty()) {
          missing.add(schema);
        }
        out.addAll(inSchema);
      }
      if (!missing.isEmpty()) {
        throw new MzSqlException(
            MzSqlException.UNDEFINED_OBJECT,
            "database missing referenced schemas",
            "missing schemas: " + String.join(", ", missing),
            null);
      }
    } else if (spec instanceof TableSpec.Tables t) {
      for (TableRef ref : t.tables()) {
        out.add(resolve(published, ref));
      }
    }
    return out;
  }

  /** Resolves a table reference against the publication's tables. */
  public static String[] resolve(Map<String, String[]> published, TableRef ref) {
    List<String[]> matches =
        published.values().stream()
            .filter(
                p ->
                    p[1].equals(ref.table()) && (ref.schema() == null || p[0].equals(ref.schema())))
            .toList();
    if (matches.isEmpty()) {
      throw new MzSqlException(
          MzSqlException.UNDEFINED_OBJECT,
          "reference to " + ref.display() + " not found in source",
          null,
          "the table must be part of the publication");
    }
    if (matches.size() > 1) {
      throw new MzSqlException(
          "42P09", "reference " + ref.display() + " is ambiguous, consider fully qualifying it");
    }
    return matches.get(0);
  }

  private static void checkPrivileges(Connection c, String user, List<String[]> tables)
      throws SQLException {
    List<String> schemasLacking = new ArrayList<>();
    for (String schema : tables.stream().map(t -> t[0]).distinct().toList()) {
      if (!bool(c, "SELECT has_schema_privilege(?, 'USAGE')", schema)) {
        schemasLacking.add(schema);
      }
    }
    if (!schemasLacking.isEmpty()) {
      throw new MzSqlException(
          MzSqlException.INSUFFICIENT_PRIVILEGE,
          "insufficient privileges",
          "user "
              + user
              + " lacks USAGE privileges for schemas "
              + String.join(", ", schemasLacking),
          null);
    }
    List<String> tablesLacking = new ArrayList<>();
    for (String[] t : tables) {
      if (!bool(c, "SELECT has_table_privilege(format('%I.%I', ?, ?), 'SELECT')", t[0], t[1])) {
        tablesLacking.add(t[0] + "." + t[1]);
      }
    }
    if (!tablesLacking.isEmpty()) {
      throw new MzSqlException(
          MzSqlException.INSUFFICIENT_PRIVILEGE,
          "insufficient privileges",
          "user "
              + user
              + " lacks SELECT privileges for tables "
              + String.join(", ", tablesLacking),
          null);
    }
  }

  private static void checkReplicaIdentity(Connection c, List<String[]> tables)
      throws SQLException {
    List<String> notFull = new ArrayList<>();
    for (String[] t : tables) {
      String ident =
          single(
              c,
              "SELECT c.relreplident::text FROM pg_class c JOIN pg_namespace n ON n.oid ="
                  + " c.relnamespace WHERE n.nspname = ? AND c.relname = ?",
              t[0],
              t[1]);
      if (!"f".equals(ident)) {
        notFull.add(t[0] + "." + t[1]);
      }
    }
    if (!notFull.isEmpty()) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "referenced items not tables with REPLICA IDENTITY FULL",
          "referenced items: " + String.join(", ", notFull),
          null);
    }
  }

  private static void checkRowLevelSecurity(Connection c, List<String[]> tables)
      throws SQLException {
    boolean bypass =
        bool(c, "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user");
    if (bypass) {
      return;
    }
    for (String[] t : tables) {
      if (bool(
          c,
          "SELECT c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE n.nspname = ? AND c.relname = ?",
          t[0],
          t[1])) {
        throw new MzSqlException(
            MzSqlException.INSUFFICIENT_PRIVILEGE,
            "one or more tables requires BYPASSRLS",
            null,
            "Add the BYPASSRLS attribute to the Materialize user");
      }
    }
  }

  private static List<UpstreamTable> describe(
      Connection c, String database, List<String[]> tables, List<String> textColumns)
      throws SQLException {
    List<UpstreamTable> out = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    for (String[] t : tables) {
      List<UpstreamTable.Column> cols = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid::int8,"
                  + " coalesce(et.typname, bt.typname, ty.typname) AS base"
                  + " FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid"
                  + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                  + " JOIN pg_type ty ON ty.oid = a.atttypid"
                  + " LEFT JOIN pg_type et ON et.oid = ty.typelem AND ty.typcategory = 'A'"
                  + " LEFT JOIN pg_type bt ON bt.oid = ty.typbasetype AND ty.typtype = 'd'"
                  + " WHERE n.nspname = ? AND cl.relname = ? AND a.attnum > 0"
                  + " AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum")) {
        ps.setString(1, t[0]);
        ps.setString(2, t[1]);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String col = rs.getString(1);
            boolean asText = isTextColumn(textColumns, t[0], t[1], col);
            String base = rs.getString(4);
            if (!asText && !SUPPORTED_TYPES.contains(base)) {
              unsupported.add(
                  database + "." + t[0] + "." + t[1] + "." + col + " (OID " + rs.getLong(3) + ")");
            }
            cols.add(new UpstreamTable.Column(col, rs.getString(2), rs.getLong(3), asText));
          }
        }
      }
      out.add(new UpstreamTable(t[0], t[1], cols));
    }
    if (!unsupported.isEmpty()) {
      throw new MzSqlException(
          MzSqlException.FEATURE_NOT_SUPPORTED,
          "referenced tables use unsupported types",
          "the following columns contain unsupported types:\n" + String.join("\n", unsupported),
          "Use the TEXT COLUMNS option naming the listed columns, and Materialize can ingest"
              + " their values as text.");
    }
    return out;
  }

  private static boolean isTextColumn(
      List<String> textColumns, String schema, String table, String column) {
    for (String tc : textColumns) {
      String[] p = tc.toLowerCase(Locale.ROOT).split("\\.");
      int n = p.length;
      if (n >= 2
          && p[n - 1].equals(column)
          && p[n - 2].equals(table)
          && (n < 3 || p[n - 3].equals(schema))) {
        return true;
      }
    }
    return false;
  }

  // ---- JDBC helpers ----

  static String single(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static boolean exists(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean bool(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
