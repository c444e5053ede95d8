package dev.onramp.activities.materialize;

/** Which CREATE SOURCE form a Materialize version expects. */
public enum SourceSyntax {
  /**
   * {@code CREATE SOURCE ... FOR ALL TABLES | FOR TABLES | FOR SCHEMAS}: one subsource per table.
   */
  SUBSOURCES,
  /** v26+: {@code CREATE SOURCE} with no FOR clause, then {@code CREATE TABLE ... FROM SOURCE}. */
  TABLES_FROM_SOURCE
}
