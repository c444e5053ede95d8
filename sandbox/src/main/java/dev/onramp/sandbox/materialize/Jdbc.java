package dev.onramp.sandbox.materialize;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements the stand-in runs on the backing PostgreSQL: each query or update call prepares
 * {@code sql}, binds {@code args} to its parameters in order and runs it. (Not named {@code Sql}:
 * the tests have their own {@code Sql} in this package, which would shadow this class on the test
 * class path.)
 */
final class Jdbc {

  private Jdbc() {}

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** The first column of the first row, or null when there is no row. */
  static String string(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** The first column of every row, in the order the query returns them. */
  static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** {@code ident} as a double-quoted SQL identifier, for names spliced into statement text. */
  static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      int index = i + 1;
      Object arg = args[i];
      if (arg == null || arg instanceof String) {
        // Every nullable argument fills a text column, so a null is bound as setString binds
        // it: a NULL typed varchar, not one whose type the server would have to infer.
        ps.setString(index, (String) arg);
      } else if (arg instanceof Integer v) {
        ps.setInt(index, v);
      } else if (arg instanceof Long v) {
        ps.setLong(index, v);
      } else if (arg instanceof Double v) {
        ps.setDouble(index, v);
      } else if (arg instanceof byte[] v) {
        ps.setBytes(index, v);
      } else {
        throw new IllegalArgumentException("cannot bind a " + arg.getClass().getName());
      }
    }
  }
}
