package dev.onramp.workflows.tables;

/** What {@code onramp tables} does to the named tables of an onboarded database. */
public enum TableChangeAction {
  /** Publish, replicate and ingest them (as onboarding would have, had they been listed). */
  ADD,
  /** Stop ingesting them and undo what onramp did upstream for them alone. */
  DROP
}
