package dev.onramp.workflows;

/** The overall state of one onboarding, also published as the OnboardingStatus search attribute. */
public enum OnboardingStatus {
  RUNNING,
  WAITING_FOR_APPROVAL,
  WAITING_FOR_MAINTENANCE_WINDOW,
  COMPLETED,
  FAILED,
  CANCELLED,
  /** Waiting for a person to confirm the SSH keys or PrivateLink principal are in place. */
  WAITING_FOR_NETWORK_CONFIRMATION
}
