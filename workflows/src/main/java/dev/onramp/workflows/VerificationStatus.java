package dev.onramp.workflows;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.Severity;
import java.util.List;

/**
 * The one word a re-verification run leaves in its {@code VerificationStatus} search attribute, so
 * the Web UI can list the unhealthy databases ({@code VerificationStatus != "HEALTHY"}).
 */
public enum VerificationStatus {
  /** Nothing found, or only information. */
  HEALTHY,
  /** Works now, but will hurt: at least one warning. */
  WARNING,
  /** Replication is broken or about to break: at least one critical finding. */
  CRITICAL,
  /** A part could not be checked (Materialize, the upstream or AWS did not answer). */
  UNREACHABLE;

  /** The worst of the findings; an unchecked part outranks everything found. */
  public static VerificationStatus of(List<Finding> findings, boolean unreachable) {
    if (unreachable) {
      return UNREACHABLE;
    }
    if (findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL)) {
      return CRITICAL;
    }
    if (findings.stream().anyMatch(f -> f.severity() == Severity.WARNING)) {
      return WARNING;
    }
    return HEALTHY;
  }
}
