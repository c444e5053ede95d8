package dev.onramp.sandbox.materialize.sql;

/** What the stand-in does with one SQL statement. */
public sealed interface Routed {

  /** Relay this (possibly rewritten) SQL to the backing PostgreSQL. */
  record Forward(String sql) implements Routed {}

  /** Execute a Materialize statement in the stand-in; it returns no rows. */
  record Local(MzStatement statement) implements Routed {}

  /** An empty statement (only whitespace or comments). */
  record Empty() implements Routed {}
}
