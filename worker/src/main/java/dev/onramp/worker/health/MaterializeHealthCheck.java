package dev.onramp.worker.health;

import com.codahale.metrics.health.HealthCheck;
import dev.onramp.activities.materialize.MaterializeSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materialize accepts the worker's credentials and answers {@code SELECT mz_version()}. The health
 * output (served on the unauthenticated admin port) names no host or user; the driver's message,
 * which does, goes to the log.
 */
public final class MaterializeHealthCheck extends HealthCheck {
  private static final Logger log = LoggerFactory.getLogger(MaterializeHealthCheck.class);
  private final MaterializeSettings settings;

  public MaterializeHealthCheck(MaterializeSettings settings) {
    this.settings = settings;
  }

  @Override
  protected Result check() {
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
        ResultSet rs = c.createStatement().executeQuery("SELECT mz_version()")) {
      rs.next();
      return Result.healthy("Materialize answers (%s)", rs.getString(1));
    } catch (SQLException e) {
      log.warn("health: Materialize: {}", e.getMessage());
      return Result.unhealthy(
          "Materialize does not answer (SQLSTATE %s); the worker log says why", e.getSQLState());
    }
  }
}
