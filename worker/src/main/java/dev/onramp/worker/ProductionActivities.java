package dev.onramp.worker;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.secrets.Credentials;
import dev.onramp.activities.secrets.SecretsManagerCredentialResolver;
import dev.onramp.activities.verification.ReverificationActivitiesImpl;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds every activity implementation from the configuration, and closes what they hold. */
final class ProductionActivities implements AutoCloseable {
  private final AwsClients aws;
  private final List<Object> implementations = new ArrayList<>();

  ProductionActivities(OnrampConfiguration config, WorkflowClient client) {
    aws = new AwsClients(config.aws.toSettings());
    Map<String, Credentials> named = new HashMap<>();
    config.credentials.forEach((k, v) -> named.put(k, new Credentials(v.username, v.password)));
    SecretsManagerCredentialResolver resolver = new SecretsManagerCredentialResolver(aws, named);
    implementations.add(new ReverificationActivitiesImpl(client, config.temporal.taskQueue));
  }

  List<Object> implementations() {
    return List.copyOf(implementations);
  }

  @Override
  public void close() {
    aws.close();
  }
}
