package dev.onramp.activities.ledger;

/** What an onboarding would do to one resource, as {@code onramp plan} shows it. */
public enum PlanAction {
  CREATE,
  CHANGE,
  REUSE
}
