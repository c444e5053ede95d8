package dev.onramp.sandbox.materialize;

/**
 * Which Materialize the stand-in impersonates. Clients detect it from {@code SELECT mz_version()}.
 */
public enum SyntaxGeneration {
  /**
   * Materialize before v26: {@code CREATE SOURCE} needs a {@code FOR ALL TABLES | FOR SCHEMAS | FOR
   * TABLES} clause and creates one subsource per table; {@code CREATE TABLE ... FROM SOURCE} is not
   * available; {@code ALTER SOURCE ... DROP SUBSOURCE} still parses.
   */
  LEGACY_SUBSOURCES("v0.130.0"),

  /**
   * Materialize v26+: {@code CREATE SOURCE} without a FOR clause, then {@code CREATE TABLE ... FROM
   * SOURCE ... (REFERENCE ...)} per table. The legacy FOR clauses are still accepted.
   */
  TABLES_FROM_SOURCE("v26.1.0");

  private final String version;

  SyntaxGeneration(String version) {
    this.version = version;
  }

  /** The version part of {@code mz_version()}, e.g. {@code v26.1.0}. */
  public String version() {
    return version;
  }

  /** {@code mz_version_num()}: the version as an integer in the format XXYYYZZ. */
  public int versionNum() {
    String[] p = version.substring(1).split("\\.");
    return Integer.parseInt(p[0]) * 100_000 + Integer.parseInt(p[1]) * 100 + Integer.parseInt(p[2]);
  }
}
