package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.materialize.SnapshotProgress;
import dev.onramp.activities.upstream.SnapshotEstimate;
import java.time.Instant;
import java.util.List;

/**
 * What the {@code progress} query returns: overall status, the current step, every step's state,
 * what the run is waiting for (if anything) the resources it has created so far and the typed
 * ledger of every resource converged so far; the snapshot's estimate (from the upstream catalog,
 * before it starts) and its latest reading while it runs (null until then).
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
    List<LedgerEntry> ledger,
    SnapshotEstimate snapshotEstimate,
    SnapshotProgress snapshotProgress) {
  public OnboardingProgress {
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }

  /** Without the snapshot's estimate and progress (as before they existed). */
  public OnboardingProgress(
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
    this(
        dbInstanceId,
        database,
        status,
        currentStep,
        waitingFor,
        steps,
        createdResources,
        startedAt,
        updatedAt,
        ledger,
        null,
        null);
  }

  public StepProgress step(OnboardingStep step) {
    return steps.stream().filter(s -> s.step() == step).findFirst().orElseThrow();
  }
}
