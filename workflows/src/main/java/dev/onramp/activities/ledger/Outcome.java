package dev.onramp.activities.ledger;

/** What converging one resource did. */
public enum Outcome {
  /** It did not exist; onramp made it (so offboarding removes it). */
  CREATED,
  /** It existed and onramp changed it; {@link LedgerEntry#previous()} says what it was. */
  CHANGED,
  /** It existed as wanted; onramp left it as it was (offboarding leaves it, unless onramp's). */
  REUSED
}
