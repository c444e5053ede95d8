package dev.onramp.activities.notify;

import io.temporal.activity.ActivityInterface;

/** Tells a person (a webhook the worker is configured with) what needs them. */
@ActivityInterface
public interface NotifyActivities {

  /**
   * Posts one message per finding of warning or worse that was not already told for this target (a
   * finding that goes away and comes back is told again); returns how many were posted. Does
   * nothing when the worker has no webhook.
   */
  int notifyFindings(FindingsNotice notice);

  /** Posts {@code notice} once per key (an approval pending, an onboarding failed). */
  void notifyPerson(PersonNotice notice);
}
