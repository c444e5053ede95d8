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
  /**
   * Left in place because the request said so: the parameter group and its association when the
   * offboarding was not asked to restore the previous group (that takes a reboot). Settled: only a
   * new request changes it.
   */
  KEPT_AS_ASKED,
  /**
   * Left in place because other onboarded databases of the same instance use it (the ingress rule,
   * the replication secret): the offboarding of the last of them removes it. Settled.
   */
  KEPT_IN_USE,
  /** Could not be removed now (system unreachable); the message says how to finish. */
  LEFT_OVER
}
