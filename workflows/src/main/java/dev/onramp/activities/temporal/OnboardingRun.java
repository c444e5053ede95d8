package dev.onramp.activities.temporal;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.OnboardingRequest;
import java.time.Instant;
import java.util.List;

/**
 * One closed onboarding run: how it ended ({@code COMPLETED}, {@code FAILED}, ...), when it
 * started, the request it ran (secret references only) and the ledger it recorded (from its result,
 * or from its progress query when it did not complete).
 */
public record OnboardingRun(
    String runId,
    String closeStatus,
    Instant startedAt,
    OnboardingRequest request,
    List<LedgerEntry> ledger) {
  public OnboardingRun {
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }
}
