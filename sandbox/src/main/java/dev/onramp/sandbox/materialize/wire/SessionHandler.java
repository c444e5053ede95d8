package dev.onramp.sandbox.materialize.wire;

import dev.onramp.sandbox.materialize.MzSession;
import dev.onramp.sandbox.materialize.sql.MzStatement;
import dev.onramp.sandbox.materialize.sql.Routed;
import java.util.List;

/** The SQL side of the stand-in, as seen by the wire protocol. */
public interface SessionHandler {

  /** Decides how a statement is handled; throws MzSqlException for bad or unsupported SQL. */
  Routed route(String sql, MzSession session);

  /** Runs a Materialize statement; throws MzSqlException on failure. */
  Result execute(MzStatement statement, MzSession session);

  /** Command tag and notices of a local statement. */
  record Result(String tag, List<String> notices) {
    public static Result of(String tag) {
      return new Result(tag, List.of());
    }
  }
}
