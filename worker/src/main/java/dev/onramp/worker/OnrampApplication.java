package dev.onramp.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.onramp.worker.auth.ApiTokens;
import dev.onramp.worker.auth.BearerTokenFilter;
import dev.onramp.worker.auth.JsonBodyFilter;
import dev.onramp.worker.auth.LoopbackGuard;
import dev.onramp.worker.config.CheckedConfigurationFactory;
import dev.onramp.worker.config.ServerCommandWithRefusals;
import dev.onramp.worker.core.SearchAttributeRegistrar;
import dev.onramp.worker.core.TemporalMetrics;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.worker.health.AwsCredentialsHealthCheck;
import dev.onramp.worker.health.MaterializeHealthCheck;
import dev.onramp.worker.health.TemporalHealthCheck;
import dev.onramp.worker.resources.CodecResource;
import dev.onramp.worker.resources.FleetResource;
import dev.onramp.worker.resources.JsonProblemMapper;
import dev.onramp.worker.resources.OffboardingResource;
import dev.onramp.worker.resources.OnboardingResource;
import dev.onramp.worker.resources.TemporalUnavailableMapper;
import dev.onramp.workflows.client.AesGcmPayloadCodec;
import dev.onramp.workflows.client.FleetClient;
import dev.onramp.workflows.client.OffboardingClient;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.RequestJson;
import dev.onramp.workflows.client.TemporalConnection;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.EnumSet;

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
  protected void addDefaultCommands(Bootstrap<OnrampConfiguration> bootstrap) {
    bootstrap.addCommand(new ServerCommandWithRefusals<>(this));
    bootstrap.addCommand(new io.dropwizard.core.cli.CheckCommand<>(this));
  }

  @Override
  public void initialize(Bootstrap<OnrampConfiguration> bootstrap) {
    // ${VAR} and ${VAR:-default} in the YAML come from the environment; an unset variable
    // without a default is an error, so a missing secret is caught at start.
    ConfigurationSourceProvider files = bootstrap.getConfigurationSourceProvider();
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(files, new EnvironmentVariableSubstitutor(true)));
    // Before that substitution: every required ${VAR} that is not set, named by key and line.
    bootstrap.setConfigurationFactoryFactory(
        (klass, validator, mapper, prefix) ->
            new CheckedConfigurationFactory<>(
                klass, validator, mapper, prefix, files, System::getenv));
  }

  @Override
  public void run(OnrampConfiguration config, Environment environment) {
    // Apache HttpClient's wire and header logs carry AWS request and response bodies, secret
    // values among them: off whatever level the configuration asks for.
    for (String wire : new String[] {"org.apache.http.wire", "org.apache.http.headers"}) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(wire))
          .setLevel(ch.qos.logback.classic.Level.OFF);
    }
    // Checked before anything connects: a bad token or an open bind stops the start.
    ApiTokens tokens = ApiTokens.from(config.auth);
    LoopbackGuard.requireLoopbackWithoutTokens(config.getServerFactory(), tokens);
    config.aws.selectProfile();
    AwsCredentialsHealthCheck.warnInBackgroundIfUnresolvable();
    TemporalSettings t = config.temporal;
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.fromBase64(t.payloadKey);
    // Files named by the configuration are read before anything connects.
    var clientCertificate = t.clientCertificate();
    config.materialize.toSettings();
    TemporalConnection temporal =
        TemporalConnection.open(
            t.target,
            t.namespace,
            t.apiKey,
            t.tls,
            TemporalMetrics.scope(environment.metrics()),
            codec,
            clientCertificate);
    ProductionActivities activities = ProductionActivities.from(config, temporal.client());
    TemporalWorker worker =
        new TemporalWorker(
            temporal.client(),
            t.taskQueue,
            activities.implementations(),
            Duration.ofSeconds(t.drainTimeoutSeconds));
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
    secureApi(environment, tokens);
    environment
        .jersey()
        .register(
            new OnboardingResource(
                new OnboardingClient(temporal.client(), t.taskQueue), config.policy));
    environment
        .jersey()
        .register(
            new FleetResource(
                new FleetClient(temporal.client(), t.taskQueue),
                config.policy,
                environment.getObjectMapper()));
    environment
        .jersey()
        .register(
            new OffboardingResource(
                new OffboardingClient(temporal.client(), t.taskQueue), config.policy));
    environment
        .jersey()
        .register(
            new dev.onramp.worker.resources.TableChangeResource(
                new dev.onramp.workflows.client.TableChangeClient(temporal.client(), t.taskQueue)));
    environment.jersey().register(new TemporalUnavailableMapper());
    if (codec != null) {
      environment.jersey().register(new CodecResource(codec.forDisplay(), t.codecCorsOrigins));
    }
    environment.healthChecks().register("temporal", new TemporalHealthCheck(temporal));
    environment.healthChecks().register("aws-credentials", new AwsCredentialsHealthCheck());
    environment
        .healthChecks()
        .register("materialize", new MaterializeHealthCheck(config.materialize.toSettings()));
  }

  /**
   * Every request authenticated; bodies only as JSON, unknown fields refused and enums read as the
   * CLI reads them; and no admin task (Dropwizard's log-level and gc tasks change the running
   * process, and the admin port has no authentication of its own).
   */
  private static void secureApi(Environment environment, ApiTokens tokens) {
    environment.jersey().register(new BearerTokenFilter(tokens));
    environment.jersey().register(new JsonBodyFilter());
    environment.jersey().register(new JsonProblemMapper());
    environment
        .getObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .registerModule(RequestJson.enumsAsFlags())
        // Durations as the CLI writes them (30s); times and durations out as ISO-8601 text, not
        // Jackson's numbers (Dropwizard's mapper leaves WRITE_DATES_AS_TIMESTAMPS on).
        .registerModule(RequestJson.durationsAsFlags())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    Filter noTasks =
        (request, response, chain) ->
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_NOT_FOUND);
    environment
        .admin()
        .addFilter("no-admin-tasks", noTasks)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/tasks/*");
  }
}
