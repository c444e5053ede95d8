package dev.onramp.activities.rds;

/** What {@link RdsActivities#reboot} did. */
public enum RebootOutcome {
  REBOOTED,
  ALREADY_REBOOTING,
  ALREADY_REBOOTED
}
