package dev.onramp.activities.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC plumbing every resource shares, for PostgreSQL and Materialize alike: statements run as
 * given (identifiers already quoted once by the caller), values always bound as parameters.
 */
public final class Sql {
  private Sql() {}

  /** Runs one statement that returns nothing (DDL, GRANT, COMMENT). */
  public static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The first column of every row. */
  public static List<String> column(Connection c, String sql, String... args) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The first column of the first row, or null when there is no row. */
  public static String single(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Whether the query returns a row. */
  public static boolean exists(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /** The first row's first column as a boolean; false when there is no row. */
  public static boolean bool(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /** A string literal, for the few places SQL takes no parameter (COMMENT ON, CREATE SECRET). */
  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static PreparedStatement prepare(Connection c, String sql, String... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
