package dev.onramp.workflows;

import dev.onramp.activities.ledger.Finding;
import java.time.Instant;
import java.util.List;

/**
 * What a re-verification found. {@code drift} holds each finding with its severity, resource and
 * fix, and {@code status} the worst of them; {@code findings} keeps one line per finding (problem
 * and fix) as runs recorded before findings had severities reported them (their results have no
 * {@code drift} and no {@code status}: read those with {@link #effectiveStatus()}).
 */
public record VerificationReport(
    String dbInstanceId,
    String database,
    Instant checkedAt,
    List<String> findings,
    List<Finding> drift,
    VerificationStatus status) {

  /** A report as runs before findings had severities made it (lines only). */
  public VerificationReport(
      String dbInstanceId, String database, Instant checkedAt, List<String> findings) {
    this(dbInstanceId, database, checkedAt, findings, null, null);
  }

  public static VerificationReport of(
      String dbInstanceId,
      String database,
      Instant checkedAt,
      List<Finding> drift,
      boolean unreachable) {
    return new VerificationReport(
        dbInstanceId,
        database,
        checkedAt,
        drift.stream().map(VerificationReport::line).toList(),
        List.copyOf(drift),
        VerificationStatus.of(drift, unreachable));
  }

  /** One finding as a line: {@code CRITICAL MZ_SOURCE shop_source: problem; fix: ...}. */
  public static String line(Finding f) {
    return f.severity()
        + " "
        + f.kind()
        + " "
        + f.identifier()
        + ": "
        + f.problem()
        + "; fix: "
        + f.fix();
  }

  public VerificationStatus effectiveStatus() {
    if (status != null) {
      return status;
    }
    return findings == null || findings.isEmpty()
        ? VerificationStatus.HEALTHY
        : VerificationStatus.WARNING;
  }

  public boolean healthy() {
    return effectiveStatus() == VerificationStatus.HEALTHY;
  }
}
