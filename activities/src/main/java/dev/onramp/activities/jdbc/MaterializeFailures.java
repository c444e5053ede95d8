package dev.onramp.activities.jdbc;

import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Which Materialize errors are worth retrying. Materialize speaks pgwire and uses PostgreSQL's
 * SQLSTATEs for what they share; most of its own errors are {@code XX000} with a text, so the
 * transient ones among those are recognised by their text (Materialize's upstream validation wraps
 * a failed connection to the upstream as "error connecting to server"; an environment that restarts
 * drops the connection, 08xxx, or answers 57P01/57P03). Mirrored in {@code docs/errors.md}; {@code
 * MaterializeFailuresTest} covers each row.
 */
public final class MaterializeFailures {

  public static final List<SqlFailures.Rule> MATERIALIZE =
      List.of(
          new SqlFailures.Rule(
              "08",
              "connection exception (Materialize restarting or unreachable)",
              true,
              OnboardingFailures.NOT_REACHABLE,
              "check that Materialize is reachable from the worker"),
          new SqlFailures.Rule(
              "57P",
              "operator intervention (Materialize restarting)",
              true,
              OnboardingFailures.NOT_REACHABLE,
              "wait for Materialize to come back"),
          new SqlFailures.Rule(
              "57014",
              "statement canceled (timeout)",
              true,
              OnboardingFailures.MATERIALIZE,
              "retried; check the cluster's load if it persists"),
          new SqlFailures.Rule(
              "40",
              "transaction rollback (serialization failure)",
              true,
              OnboardingFailures.MATERIALIZE,
              "retried; nothing to do"),
          new SqlFailures.Rule(
              "53",
              "insufficient resources",
              true,
              OnboardingFailures.MATERIALIZE,
              "check the region's limits and the cluster's size"),
          new SqlFailures.Rule(
              "28",
              "invalid authorization (app password)",
              false,
              OnboardingFailures.BAD_CREDENTIALS,
              "check the worker's Materialize user and app password"),
          new SqlFailures.Rule(
              "42501",
              "insufficient privilege",
              false,
              OnboardingFailures.PERMISSION_DENIED,
              "grant the worker's Materialize role CREATECLUSTER and CREATE on the schema"),
          new SqlFailures.Rule(
              "42710",
              "object already exists",
              false,
              OnboardingFailures.MATERIALIZE_CONFLICT,
              "choose another name or drop the existing object"),
          new SqlFailures.Rule(
              "42P07",
              "catalog item already exists",
              false,
              OnboardingFailures.MATERIALIZE_CONFLICT,
              "choose another name or drop the existing object"),
          new SqlFailures.Rule(
              "42",
              "syntax error or unknown object",
              false,
              OnboardingFailures.MATERIALIZE,
              "check the names in the request"),
          new SqlFailures.Rule(
              "22",
              "invalid value",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "check the values in the request"));

  /**
   * {@code XX000} texts that mean "try again later": the upstream was unreachable while Materialize
   * validated the connection (rebooting instance, security-group rule not yet in effect), or the
   * cluster's replica is not ready yet.
   */
  static final List<String> TRANSIENT_TEXTS =
      List.of("error connecting to server", "timed out", "connection refused", "not ready");

  private MaterializeFailures() {}

  /** The failure for a Materialize error that happened while doing {@code what}. */
  public static ApplicationFailure classify(SQLException e, String what) {
    String text = describe(e);
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (SqlFailures.rule(MATERIALIZE, e) == null
        && TRANSIENT_TEXTS.stream().anyMatch(lower::contains)) {
      return ApplicationFailure.newFailureWithCause(
          what + ": " + text + "; retried until the upstream answers",
          OnboardingFailures.NOT_REACHABLE,
          e);
    }
    return SqlFailures.classify(MATERIALIZE, e, what, text, OnboardingFailures.MATERIALIZE);
  }

  /** Materialize's message, detail and hint, as one line a person can act on. */
  public static String describe(SQLException e) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      StringBuilder sb = new StringBuilder(m.getMessage());
      if (m.getDetail() != null) {
        sb.append(" (").append(m.getDetail().replace('\n', ' ')).append(")");
      }
      if (m.getHint() != null) {
        sb.append("; hint: ").append(m.getHint());
      }
      return sb.toString();
    }
    return e.getMessage();
  }
}
