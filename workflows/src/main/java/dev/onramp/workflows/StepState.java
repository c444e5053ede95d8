package dev.onramp.workflows;

/** Where one step stands. */
public enum StepState {
  PENDING,
  RUNNING,
  /** Waiting on something outside onramp: AWS, an approval, a maintenance window, a snapshot. */
  WAITING,
  DONE,
  SKIPPED,
  FAILED,
  CANCELLED
}
