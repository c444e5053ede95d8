package dev.onramp.workflows;

import java.time.Instant;
import java.util.List;

/**
 * What a re-verification found: nothing (healthy) or one line per drift, each saying what to do.
 */
public record VerificationReport(
    String dbInstanceId, String database, Instant checkedAt, List<String> findings) {

  public boolean healthy() {
    return findings.isEmpty();
  }
}
