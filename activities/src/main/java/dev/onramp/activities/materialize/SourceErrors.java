package dev.onramp.activities.materialize;

import dev.onramp.workflows.SqlIdentifiers;
import java.util.Locale;

/**
 * The fix for an error Materialize reports on a source or connection, from the texts it uses (facts
 * in shared/reference/materialize.md, sections 3 and 4).
 */
final class SourceErrors {
  private SourceErrors() {}

  /** {@code source} may be null (a connection's validation error). */
  static String fix(String error, ConnectionSpec connection, String source) {
    String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
    String recreate =
        source == null
            ? "run the onboarding again"
            : "recreate the source: DROP SOURCE "
                + SqlIdentifiers.quote(source)
                + " CASCADE, then run the onboarding again";
    if (e.contains("password authentication failed")) {
      return "the password in Materialize secret "
          + connection.passwordSecret()
          + " no longer matches the replication user "
          + connection.user()
          + "'s: run the onboarding again to write the current password from Secrets Manager"
          + " into the secret (ALTER SECRET), or reset the user's password to the stored one";
    }
    if (e.contains("publication") && e.contains("does not exist")) {
      return "the publication is gone upstream: run the onboarding again to recreate it";
    }
    if (e.contains("replica identity")) {
      return "set REPLICA IDENTITY FULL on the table upstream (ALTER TABLE ... REPLICA IDENTITY"
          + " FULL), then "
          + recreate;
    }
    if (e.contains("invalidated") || e.contains("overcompacted") || e.contains("timeline")) {
      return "the replication slot cannot resume; " + recreate;
    }
    if (e.contains("table was truncated")) {
      return "the table was truncated upstream; drop its subsource and add it again (DROP SOURCE"
          + " <subsource>; ALTER SOURCE ... ADD SUBSOURCE), or "
          + recreate;
    }
    if (e.contains("connection refused")
        || e.contains("error connecting")
        || e.contains("timed out")
        || e.contains("no pg_hba.conf entry")) {
      return "Materialize cannot reach "
          + connection.host()
          + ":"
          + (connection.port() == 0 ? 5432 : connection.port())
          + ": check that the instance is available and that its security group still allows"
          + " Materialize's egress IPs (mz_egress_ips) on that port";
    }
    if (e.contains("permission denied") || e.contains("insufficient privileges")) {
      return "the replication user lost a privilege upstream: run the onboarding again to grant"
          + " it back";
    }
    return "read mz_internal.mz_source_status_history for the details; if it does not recover, "
        + recreate;
  }
}
