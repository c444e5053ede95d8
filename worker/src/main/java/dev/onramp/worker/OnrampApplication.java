package dev.onramp.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import dev.onramp.worker.core.SearchAttributeRegistrar;
import dev.onramp.worker.core.TemporalMetrics;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.worker.health.AwsCredentialsHealthCheck;
import dev.onramp.worker.health.MaterializeHealthCheck;
import dev.onramp.worker.health.TemporalHealthCheck;
import dev.onramp.worker.resources.CodecResource;
import dev.onramp.worker.resources.JsonProblemMapper;
import dev.onramp.worker.resources.OnboardingResource;
import dev.onramp.worker.resources.TemporalUnavailableMapper;
import dev.onramp.workflows.client.AesGcmPayloadCodec;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;

/** The onramp worker: Temporal worker, REST API, health checks and metrics in one process. */
public class OnrampApplication extends Application<OnrampConfiguration> {

  public static void main(String[] args) throws Exception {
    new OnrampApplication().run(args);
  }

  @Override
  public String getName() {
    return "onramp-worker";
  }

  @Override
  public void initialize(Bootstrap<OnrampConfiguration> bootstrap) {
    // ${VAR} and ${VAR:-default} in the YAML come from the environment; an unset variable
    // without a default is an error, so a missing secret is caught at start.
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    // A REST body is read as the request file is: unknown fields refused, enums in any case.
    bootstrap
        .getObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
  }

  @Override
  public void run(OnrampConfiguration config, Environment environment) {
    TemporalSettings t = config.temporal;
    TemporalConnection temporal =
        TemporalConnection.open(
            t.target, t.namespace, t.apiKey, t.tls, TemporalMetrics.scope(environment.metrics()));
    ProductionActivities activities = ProductionActivities.from(config, temporal.client());
    TemporalWorker worker =
        new TemporalWorker(
            temporal.client(), t.taskQueue, activities.implementations(), Duration.ofSeconds(30));
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void start() {
                if (t.registerSearchAttributes) {
                  SearchAttributeRegistrar.ensure(temporal.client());
                }
              }

              @Override
              public void stop() {
                activities.close();
                temporal.close();
              }
            });
    environment.lifecycle().manage(worker);
    environment
        .jersey()
        .register(new OnboardingResource(new OnboardingClient(temporal.client(), t.taskQueue)));
    environment.jersey().register(new TemporalUnavailableMapper());
    environment.jersey().register(new JsonProblemMapper());
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.fromEnvironment();
    if (codec != null) {
      environment.jersey().register(new CodecResource(codec, t.codecCorsOrigins));
    }
    environment.healthChecks().register("temporal", new TemporalHealthCheck(temporal, t.target));
    environment.healthChecks().register("aws-credentials", new AwsCredentialsHealthCheck());
    environment
        .healthChecks()
        .register("materialize", new MaterializeHealthCheck(config.materialize.toSettings()));
  }
}
