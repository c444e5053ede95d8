package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.upstream.WalSafety;
import java.util.List;

/**
 * What a completed onboarding returns: what it found, what it changed, where data now flows; {@code
 * ledger} has one typed entry per managed resource (empty in results of runs from before it), and
 * {@code walSafety} the preflight's WAL safety report with what was set (null before it).
 */
public record OnboardingResult(
    String dbInstanceId,
    String database,
    String parameterGroup,
    int reboots,
    String publication,
    String replicationUser,
    String source,
    List<String> tables,
    long snapshotRecords,
    String clusterSize,
    List<String> createdResources,
    List<LedgerEntry> ledger,
    WalSafety walSafety) {
  public OnboardingResult {
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }

  /** A result without the WAL safety report (runs from before preflight read it). */
  public OnboardingResult(
      String dbInstanceId,
      String database,
      String parameterGroup,
      int reboots,
      String publication,
      String replicationUser,
      String source,
      List<String> tables,
      long snapshotRecords,
      String clusterSize,
      List<String> createdResources,
      List<LedgerEntry> ledger) {
    this(
        dbInstanceId,
        database,
        parameterGroup,
        reboots,
        publication,
        replicationUser,
        source,
        tables,
        snapshotRecords,
        clusterSize,
        createdResources,
        ledger,
        null);
  }
}
