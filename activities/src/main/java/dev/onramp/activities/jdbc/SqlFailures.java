package dev.onramp.activities.jdbc;

import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Which PostgreSQL errors are worth retrying and which are not, by SQLSTATE (PostgreSQL manual,
 * appendix A "PostgreSQL Error Codes"). The table below is the whole policy for the upstream
 * database and is mirrored in {@code docs/errors.md}; {@code SqlFailuresTest} covers each row.
 * Retryable failures are retried by Temporal until the activity's schedule-to-close bound, so "the
 * instance is rebooting" or "another session holds the lock" end on their own; the rest fail the
 * run at once with what to do.
 */
public final class SqlFailures {

  /** One row of the table: a SQLSTATE or SQLSTATE class prefix and what it means for onramp. */
  public record Rule(String sqlState, String meaning, boolean retryable, String type, String fix) {
    boolean matches(String state) {
      return state.startsWith(sqlState);
    }
  }

  /** First match wins, so exact codes come before their class. */
  public static final List<Rule> POSTGRES =
      List.of(
          new Rule(
              "08",
              "connection exception (refused, reset, instance rebooting)",
              true,
              OnboardingFailures.NOT_REACHABLE,
              "check that the instance is available and reachable from the worker"),
          new Rule(
              "57P01",
              "admin shutdown (the server is restarting)",
              true,
              OnboardingFailures.NOT_REACHABLE,
              "wait for the instance to come back"),
          new Rule(
              "57P02",
              "crash shutdown",
              true,
              OnboardingFailures.NOT_REACHABLE,
              "wait for the instance to recover"),
          new Rule(
              "57P03",
              "cannot connect now (the server is starting)",
              true,
              OnboardingFailures.NOT_REACHABLE,
              "wait for the instance to finish starting"),
          new Rule(
              "57014",
              "query canceled (statement_timeout)",
              true,
              OnboardingFailures.UPSTREAM,
              "look for long-running sessions on the instance"),
          new Rule(
              "55P03",
              "lock not available (lock_timeout)",
              true,
              OnboardingFailures.UPSTREAM,
              "a long-running session holds a lock on the table; it is retried until it ends"),
          new Rule(
              "40",
              "transaction rollback (serialization failure, deadlock)",
              true,
              OnboardingFailures.UPSTREAM,
              "retried; nothing to do"),
          new Rule(
              "53",
              "insufficient resources (too many connections, out of memory or disk)",
              true,
              OnboardingFailures.UPSTREAM,
              "free connections or storage on the instance (max_connections, storage-full)"),
          new Rule(
              "58",
              "system error (I/O error on the server)",
              true,
              OnboardingFailures.UPSTREAM,
              "check the instance's events and logs"),
          new Rule(
              "28",
              "invalid authorization (wrong password, pg_hba.conf)",
              false,
              OnboardingFailures.BAD_CREDENTIALS,
              "check the admin credentials and that pg_hba.conf allows this client"),
          new Rule(
              "3D000",
              "database does not exist",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "name a database that exists on the instance"),
          new Rule(
              "42501",
              "insufficient privilege",
              false,
              OnboardingFailures.PERMISSION_DENIED,
              "connect as the instance's master user (a member of rds_superuser)"),
          new Rule(
              "42P01",
              "table does not exist",
              false,
              OnboardingFailures.TABLE_NOT_FOUND,
              "name tables that exist (schema.table)"),
          new Rule(
              "42",
              "syntax error or access rule violation (undefined or duplicate object)",
              false,
              OnboardingFailures.UPSTREAM,
              "check the names in the request"),
          new Rule(
              "22",
              "data exception (an invalid value)",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "check the values in the request"),
          new Rule(
              "0A",
              "feature not supported (e.g. the PostgreSQL version)",
              false,
              OnboardingFailures.UPSTREAM,
              "use a supported PostgreSQL version"));

  private SqlFailures() {}

  /** The failure for a PostgreSQL error that happened while doing {@code what}. */
  public static ApplicationFailure classify(SQLException e, String what) {
    return classify(POSTGRES, e, what, e.getMessage(), OnboardingFailures.UPSTREAM);
  }

  /** The first rule of {@code table} for this error, or null when none applies. */
  public static Rule rule(List<Rule> table, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    for (Rule r : table) {
      if (r.matches(state)) {
        return r;
      }
    }
    return null;
  }

  /**
   * Applies {@code table}; an error with no SQLSTATE that came from the network (pgjdbc wraps an
   * {@link IOException}) is retried like a connection exception; anything else unknown is permanent
   * with {@code fallbackType}, so a surprise stops the run instead of looping.
   */
  static ApplicationFailure classify(
      List<Rule> table, SQLException e, String what, String text, String fallbackType) {
    Rule r = rule(table, e);
    if (r == null && e.getSQLState() == null && e.getCause() instanceof IOException) {
      r = table.get(0);
    }
    String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
    if (r == null) {
      return OnboardingFailures.nonRetryable(fallbackType, what + ": " + text + state, e);
    }
    String message = what + ": " + text + state + "; " + r.fix();
    return r.retryable()
        ? ApplicationFailure.newFailureWithCause(message, r.type(), e)
        : OnboardingFailures.nonRetryable(r.type(), message, e);
  }
}
