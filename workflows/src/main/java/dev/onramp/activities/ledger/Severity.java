package dev.onramp.activities.ledger;

/** How soon a finding needs a person. */
public enum Severity {
  /** Replication is broken or will break (slot invalidated, source stalled, rule gone). */
  CRITICAL,
  /** Works now, but will hurt (WAL retained growing, a table not published). */
  WARNING,
  /** Worth knowing; nothing to do now. */
  INFO
}
