package dev.onramp.activities.upstream;

import dev.onramp.activities.pg.PgConnectionProperties;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.activities.secrets.Credentials;
import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens JDBC connections to the upstream database, as its admin or as the replication user, and
 * turns a failure to connect into the failure type the workflow acts on (bad credentials and a
 * missing database are final; an unreachable instance is retried).
 */
final class UpstreamConnector {
  private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);

  private final CredentialResolver resolver;
  private final PgTls tls;

  UpstreamConnector(CredentialResolver resolver, PgTls tls) {
    this.resolver = resolver;
    this.tls = tls;
    if (!tls.verifies()) {
      log.warn(
          "upstream connections use sslmode={}: the server's certificate is not verified, so a"
              + " host in the path could pose as the database and receive the admin password;"
              + " set upstream.sslMode to verify-full with upstream.sslRootCert",
          tls.sslMode());
    }
  }

  CredentialResolver resolver() {
    return resolver;
  }

  Connection admin(UpstreamTarget target) {
    Credentials admin =
        resolver.resolve(target.region(), target.adminCredentials(), target.masterUsername());
    return connect(target, admin.username(), admin.password(), "the admin user");
  }

  /**
   * Whether {@code user} logs in with {@code password}: a login refused for the database only (no
   * CONNECT yet) still proves the password right.
   */
  boolean passwordWorks(UpstreamTarget target, String user, String password) {
    try (Connection ignored = connect(target, user, password, "the replication user")) {
      return true;
    } catch (SQLException closing) {
      return true;
    } catch (ApplicationFailure f) {
      return OnboardingFailures.PERMISSION_DENIED.equals(f.getType());
    }
  }

  Connection connect(UpstreamTarget target, String user, String password, String who) {
    Properties p = PgConnectionProperties.of(target.host(), target.port(), target.database());
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    // The worker's TLS setting, not the target's: verification is not a request's to turn off.
    tls.applyTo(p);
    p.setProperty("ApplicationName", "onramp");
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "120");
    try {
      return DriverManager.getConnection(PgConnectionProperties.URL, p);
    } catch (SQLException e) {
      if (PgTls.isVerificationFailure(e)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TLS_VERIFICATION,
            tls.verificationAdvice(target.host() + ":" + target.port(), "upstream", e)
                + (PgTls.isHostnameMismatch(e) ? "" : " (for RDS: global-bundle.pem)")
                + ": "
                + e.getMessage());
      }
      throw connectFailure(target, user, who, e);
    }
  }

  private static ApplicationFailure connectFailure(
      UpstreamTarget target, String user, String who, SQLException e) {
    String where = target.host() + ":" + target.port() + "/" + target.database();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("28P01") || state.equals("28000")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.BAD_CREDENTIALS,
          "cannot log in to "
              + where
              + " as "
              + user
              + " ("
              + who
              + "): "
              + e.getMessage()
              + "; check the credentials in "
              + target.adminCredentials()
              + " and that pg_hba.conf / the security group allow this client");
    }
    if (state.equals("3D000")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "database " + target.database() + " does not exist on " + target.dbInstanceId());
    }
    if (state.equals("42501")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.PERMISSION_DENIED,
          user
              + " may not connect to "
              + where
              + ": "
              + e.getMessage()
              + "; GRANT CONNECT ON DATABASE to it");
    }
    // Network trouble or a rebooting instance: worth retrying.
    return ApplicationFailure.newFailureWithCause(
        "cannot reach " + where + ": " + e.getMessage(), OnboardingFailures.NOT_REACHABLE, e);
  }
}
