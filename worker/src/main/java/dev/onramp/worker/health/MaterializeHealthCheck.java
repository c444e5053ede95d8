package dev.onramp.worker.health;

import com.codahale.metrics.health.HealthCheck;
import dev.onramp.activities.materialize.MaterializeSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Materialize accepts the worker's credentials and answers {@code SELECT mz_version()}. */
public final class MaterializeHealthCheck extends HealthCheck {
  private final MaterializeSettings settings;

  public MaterializeHealthCheck(MaterializeSettings settings) {
    this.settings = settings;
  }

  @Override
  protected Result check() {
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
        ResultSet rs = c.createStatement().executeQuery("SELECT mz_version()")) {
      rs.next();
      return Result.healthy(
          "Materialize %s at %s:%d", rs.getString(1), settings.host(), settings.port());
    } catch (SQLException e) {
      return Result.unhealthy(
          "Materialize at %s:%d: %s", settings.host(), settings.port(), e.getMessage());
    }
  }
}
