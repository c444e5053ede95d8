package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.MaterializeFailures;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * How the activities reach Materialize (pgwire with stock pgjdbc, the worker's configured user) and
 * how a failure there becomes a typed {@link ApplicationFailure} a person can act on.
 */
final class MaterializeClient {
  private final MaterializeSettings settings;

  MaterializeClient(MaterializeSettings settings) {
    this.settings = settings;
  }

  MaterializeSettings settings() {
    return settings;
  }

  /** The configured user, as the privilege messages name it. */
  String user() {
    return settings.user();
  }

  /** The database onramp creates in (everything lives in its {@code public} schema). */
  String database() {
    return settings.database();
  }

  Connection connect() {
    try {
      return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
    } catch (SQLException e) {
      String where = settings.host() + ":" + settings.port();
      if (PgTls.isVerificationFailure(e)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TLS_VERIFICATION,
            settings.tls().verificationAdvice(where, "materialize", e) + ": " + e.getMessage());
      }
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("28")) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.BAD_CREDENTIALS,
            "Materialize at "
                + where
                + " refused user "
                + settings.user()
                + ": "
                + e.getMessage()
                + "; check the worker's Materialize user and app password");
      }
      throw ApplicationFailure.newFailureWithCause(
          "cannot reach Materialize at " + where + ": " + e.getMessage(),
          OnboardingFailures.NOT_REACHABLE,
          e);
    }
  }

  /** Materialize's message, detail and hint, as one line a person can act on. */
  static String describe(SQLException e) {
    return MaterializeFailures.describe(e);
  }

  /** The failure for {@code what} (e.g. "creating source x"), typed by what retrying can fix. */
  static ApplicationFailure failure(String what, SQLException e) {
    String text = describe(e);
    if (text.contains("certificate verify failed")) {
      // Materialize could not verify the upstream's certificate: retrying cannot change that.
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.TLS_VERIFICATION,
          what
              + ": "
              + text
              + "; the upstream's certificate must chain to the worker's upstream.sslRootCert"
              + " (given to Materialize as SSL CERTIFICATE AUTHORITY), or use SSL MODE require",
          e);
    }
    return MaterializeFailures.classify(e, what);
  }

  /** A name taken by an object with another definition: non-retryable, naming the difference. */
  static ApplicationFailure conflict(String message) {
    return OnboardingFailures.nonRetryable(OnboardingFailures.MATERIALIZE_CONFLICT, message);
  }

  /** Materialize's (and PostgreSQL's) duplicate_object: an overlapping attempt got there first. */
  static boolean alreadyExists(SQLException e) {
    return "42710".equals(e.getSQLState())
        || String.valueOf(e.getMessage()).contains("already exists");
  }
}
