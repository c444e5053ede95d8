package dev.onramp.sandbox.aws.rds;

import java.time.Duration;

/**
 * How long the instance state machine dwells in each transient state. Real RDS takes minutes;
 * defaults are a few seconds so a demo is watchable, tests use ~100–500 ms.
 *
 * @param modifying time in {@code modifying} after ModifyDBInstance
 * @param applying time a group stays {@code applying} after a dynamic parameter change
 * @param rebooting time in {@code rebooting} before PostgreSQL is stopped and started
 */
public record Timings(Duration modifying, Duration applying, Duration rebooting) {
  public static Timings defaults() {
    return new Timings(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(3));
  }

  /** All three set to the same duration; handy for tests. */
  public static Timings all(Duration d) {
    return new Timings(d, d, d);
  }
}
