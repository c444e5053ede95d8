package dev.onramp.worker.health;

import com.codahale.metrics.health.HealthCheck;
import dev.onramp.workflows.client.TemporalConnection;
import java.time.Duration;

/** Temporal's frontend answers GetSystemInfo within five seconds. */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalConnection temporal;
  private final String target;

  public TemporalHealthCheck(TemporalConnection temporal, String target) {
    this.temporal = temporal;
    this.target = target;
  }

  @Override
  protected Result check() {
    try {
      temporal.check(Duration.ofSeconds(5));
      return Result.healthy("Temporal at %s answers", target);
    } catch (RuntimeException e) {
      return Result.unhealthy("Temporal at %s does not answer: %s", target, e.getMessage());
    }
  }
}
