package dev.onramp.worker.core;

import com.codahale.metrics.MetricRegistry;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.dropwizard.DropwizardConfig;
import io.micrometer.core.instrument.dropwizard.DropwizardMeterRegistry;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

/**
 * Bridges the Temporal SDK's metrics (tally, reported through Micrometer) into the application's
 * Dropwizard {@link MetricRegistry}, so they appear on the admin port's /metrics with the rest.
 */
public final class TemporalMetrics {
  private TemporalMetrics() {}

  public static Scope scope(MetricRegistry registry) {
    DropwizardConfig config =
        new DropwizardConfig() {
          @Override
          public String prefix() {
            return "temporal";
          }

          @Override
          public String get(String key) {
            return null;
          }
        };
    DropwizardMeterRegistry meters =
        new DropwizardMeterRegistry(
            config, registry, HierarchicalNameMapper.DEFAULT, Clock.SYSTEM) {
          @Override
          protected Double nullGaugeValue() {
            return Double.NaN;
          }
        };
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(meters))
        .reportEvery(Duration.ofSeconds(10));
  }
}
