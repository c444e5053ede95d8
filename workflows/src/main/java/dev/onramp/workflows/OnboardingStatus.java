package dev.onramp.workflows;

/** The overall state of one onboarding, also published as the OnboardingStatus search attribute. */
public enum OnboardingStatus {
  RUNNING,
  WAITING_FOR_APPROVAL,
  WAITING_FOR_MAINTENANCE_WINDOW,
  COMPLETED,
  FAILED,
  CANCELLED
}
