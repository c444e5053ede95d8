package dev.onramp.activities.temporal;

import io.temporal.activity.ActivityInterface;

/**
 * What Temporal remembers of a target's onboardings: its runs since the last complete offboarding,
 * each with the ledger it recorded. Read through the Temporal client (visibility, results, the
 * progress query of runs that did not complete), never changing anything.
 */
@ActivityInterface
public interface OnboardingRecordActivities {

  /** The target's onboarding runs since its last complete offboarding, oldest first. */
  OnboardingRecord onboardingRecord(OnboardingRecordRequest request);
}
