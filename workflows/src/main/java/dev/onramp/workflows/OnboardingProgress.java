package dev.onramp.workflows;

import java.time.Instant;
import java.util.List;

/**
 * What the {@code progress} query returns: overall status, the current step, every step's state,
 * what the run is waiting for (if anything) and the resources it has created so far.
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
    Instant updatedAt) {

  public StepProgress step(OnboardingStep step) {
    return steps.stream().filter(s -> s.step() == step).findFirst().orElseThrow();
  }
}
