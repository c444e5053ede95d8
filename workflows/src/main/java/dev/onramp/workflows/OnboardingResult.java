package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import java.util.List;

/**
 * What a completed onboarding returns: what it found, what it changed, where data now flows; {@code
 * ledger} has one typed entry per managed resource (empty in results of runs from before it).
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
    List<LedgerEntry> ledger) {
  public OnboardingResult {
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }
}
