package dev.onramp.worker.health;

import com.codahale.metrics.health.HealthCheck;
import dev.onramp.workflows.client.TemporalConnection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's frontend answers GetSystemInfo within five seconds. The health output (served on the
 * unauthenticated admin port) names no host; the reason goes to the log.
 */
public final class TemporalHealthCheck extends HealthCheck {
  private static final Logger log = LoggerFactory.getLogger(TemporalHealthCheck.class);
  private final TemporalConnection temporal;

  public TemporalHealthCheck(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  @Override
  protected Result check() {
    try {
      temporal.check(Duration.ofSeconds(5));
      return Result.healthy("Temporal answers");
    } catch (RuntimeException e) {
      log.warn("health: Temporal does not answer: {}", e.toString());
      return Result.unhealthy("Temporal does not answer; the worker log says why");
    }
  }
}
