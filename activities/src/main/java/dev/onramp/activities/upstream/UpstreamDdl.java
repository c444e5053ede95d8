package dev.onramp.activities.upstream;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.jdbc.SqlFailures;
import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How upstream DDL runs: in one transaction that gives up on a lock instead of queueing (so writers
 * are never stuck behind onramp), with one attempt per database at a time.
 */
final class UpstreamDdl {
  /** Bounds any single statement of the upstream step. */
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);

  private UpstreamDdl() {}

  /**
   * Makes the DDL of this transaction give up instead of queueing (lock_timeout), bounds each
   * statement, and makes sure no other attempt for the same database runs its DDL at the same time
   * (an advisory lock keyed by the database, released at commit or rollback). {@code ALTER TABLE
   * ... REPLICA IDENTITY} needs an ACCESS EXCLUSIVE lock: queued behind a long-running reader it
   * would block every writer that comes after it, so it gives up quickly and is retried later.
   */
  static void guard(Connection c, UpstreamTarget target, Duration lockTimeout) throws SQLException {
    Sql.exec(c, "SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
    Sql.exec(c, "SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT.toMillis() + "ms'");
    if (!Sql.bool(
        c,
        "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))",
        "onramp upstream objects " + target.database())) {
      throw lockBusy(
          "another attempt is already preparing database "
              + target.database()
              + " on "
              + target.dbInstanceId()
              + "; waiting for it to finish");
    }
  }

  static ApplicationFailure lockBusy(String message) {
    return ApplicationFailure.newFailure(message, OnboardingFailures.UPSTREAM_LOCK_BUSY);
  }

  static void exec(Connection c, String sql, String what) {
    exec(c, sql, what, null);
  }

  /**
   * Runs DDL; {@code locked} names what it locks, for the message when the lock is not granted
   * within lock_timeout (55P03) or the statement runs out of statement_timeout (57014).
   */
  static void exec(Connection c, String sql, String what, String locked) {
    try {
      Sql.exec(c, sql);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.equals("55P03") || state.equals("57014")) {
        throw lockBusy(
            "waiting for a lock on "
                + (locked == null ? "the objects of " + what : locked)
                + " ("
                + what
                + ": "
                + e.getMessage()
                + "); a long-running transaction holds it, and onramp retries rather than block"
                + " writers behind it");
      }
      throw failure(e, what);
    }
  }

  /**
   * {@link SqlFailures#classify}, except that two sessions changing the same catalog row at once
   * (PostgreSQL's "tuple concurrently updated", SQLSTATE XX000, e.g. an ALTER ROLE racing a DROP
   * ROLE) is worth retrying: the transaction rolled back whole, and the next attempt finds the row
   * settled.
   */
  static ApplicationFailure failure(SQLException e, String what) {
    if ("XX000".equals(e.getSQLState())
        && String.valueOf(e.getMessage()).contains("tuple concurrently updated")) {
      return lockBusy(
          what
              + ": another session changed the same catalog entry at the same time ("
              + e.getMessage()
              + "); trying again");
    }
    return SqlFailures.classify(e, what);
  }
}
