package dev.onramp.cli;

/** Exit codes that tell a script what kind of failure happened. */
public final class ExitCodes {
  public static final int OK = 0;

  /** The onboarding ran and failed (the message says which step and why). */
  public static final int ONBOARDING_FAILED = 1;

  /** Bad arguments or a bad request file (picocli's usage code too). */
  public static final int BAD_INPUT = 2;

  /** Temporal, the worker or Materialize could not be reached. */
  public static final int UNREACHABLE = 3;

  /** No such onboarding. */
  public static final int NOT_FOUND = 4;

  /** Refused in the current state: already running, no approval pending. */
  public static final int CONFLICT = 5;

  /** The onboarding was cancelled. */
  public static final int CANCELLED = 6;

  /** --wait gave up before the onboarding ended; it goes on. */
  public static final int STILL_RUNNING = 7;

  /** The offboarding ran and left something over (the report says what and how to finish). */
  public static final int INCOMPLETE = 8;

  private ExitCodes() {}
}
