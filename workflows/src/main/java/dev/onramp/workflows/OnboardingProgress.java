package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import java.time.Instant;
import java.util.List;

/**
 * What the {@code progress} query returns: overall status, the current step, every step's state,
 * what the run is waiting for (if anything) the resources it has created so far and the typed
 * ledger of every resource converged so far.
 */
public record OnboardingProgress(
    String dbInstanceId,
    String database,
    OnboardingStatus status,
    OnboardingStep currentStep,
    String waitingFor,
    List<StepProgress> steps,
    List<String> createdResources,
    Instant startedAt,
    Instant updatedAt,
    List<LedgerEntry> ledger) {
  public OnboardingProgress {
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }

  public StepProgress step(OnboardingStep step) {
    return steps.stream().filter(s -> s.step() == step).findFirst().orElseThrow();
  }
}
