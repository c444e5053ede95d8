package dev.onramp.workflows;

import java.time.Instant;

/** One row of the progress query: a step, its state, when it ran and what it last said. */
public record StepProgress(
    OnboardingStep step, StepState state, Instant startedAt, Instant endedAt, String message) {

  public static StepProgress pending(OnboardingStep step) {
    return new StepProgress(step, StepState.PENDING, null, null, null);
  }

  public StepProgress with(StepState newState, Instant now, String newMessage) {
    Instant started = startedAt == null ? now : startedAt;
    boolean ended =
        newState != StepState.RUNNING
            && newState != StepState.WAITING
            && newState != StepState.PENDING;
    return new StepProgress(
        step, newState, started, ended ? now : null, newMessage == null ? message : newMessage);
  }
}
