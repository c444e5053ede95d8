package dev.onramp.workflows;

/** Where one database of a fleet stands, as the fleet sees it. */
public enum FleetMemberState {
  /** Not started yet: the onboarding limit is reached, or the fleet is paused. */
  QUEUED,
  RUNNING,
  /** Asked for a reboot slot; waits for the reboot budget. */
  WAITING_FOR_REBOOT_SLOT,
  /** Holds a reboot slot: rebooting, or waiting for the reboot's evidence. */
  REBOOTING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
