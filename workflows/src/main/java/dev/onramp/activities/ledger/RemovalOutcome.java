package dev.onramp.activities.ledger;

/** What offboarding did with one ledger entry. */
public enum RemovalOutcome {
  /** onramp created it and removed it. */
  REMOVED,
  /** onramp changed it and put back what the ledger says was there (replica identity, group). */
  RESTORED,
  /** It no longer exists; nothing to do. */
  ALREADY_GONE,
  /** onramp did not create it (reused): left in place. */
  KEPT_NOT_OURS,
  /** Someone changed it since onboarding: reported, not removed. */
  KEPT_CHANGED,
  /** Could not be removed now (system unreachable); the message says how to finish. */
  LEFT_OVER
}
