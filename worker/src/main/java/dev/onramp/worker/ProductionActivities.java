package dev.onramp.worker;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.materialize.MaterializeActivitiesImpl;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.network.NetworkActivitiesImpl;
import dev.onramp.activities.notify.NotifyActivitiesImpl;
import dev.onramp.activities.notify.PreviousVerification;
import dev.onramp.activities.notify.Webhook;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.rds.RdsActivitiesImpl;
import dev.onramp.activities.rds.WalKeepSizeActivitiesImpl;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.activities.secrets.Credentials;
import dev.onramp.activities.secrets.SecretsActivitiesImpl;
import dev.onramp.activities.secrets.SecretsManagerCredentialResolver;
import dev.onramp.activities.temporal.OnboardingRecordActivitiesImpl;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.activities.verification.ReverificationActivitiesImpl;
import dev.onramp.workflows.EgressCidrGuard;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds every activity implementation from settings, and closes what they hold. Used by the worker
 * application and, with sandbox settings, by the demo and the end-to-end tests.
 */
public final class ProductionActivities implements AutoCloseable {
  private final AwsClients aws;
  private final List<Object> implementations = new ArrayList<>();

  /** What the notifier reads the previous verification run through (durable deduplication). */
  private final PreviousVerification previousVerification;

  public ProductionActivities(
      AwsSettings awsSettings,
      MaterializeSettings materialize,
      Map<String, Credentials> workerCredentials,
      WorkflowClient client,
      String taskQueue) {
    this(awsSettings, materialize, PgTls.upstreamDefault(), workerCredentials, client, taskQueue);
  }

  /** {@code upstreamTls}: how upstream servers' certificates are checked. */
  public ProductionActivities(
      AwsSettings awsSettings,
      MaterializeSettings materialize,
      PgTls upstreamTls,
      Map<String, Credentials> workerCredentials,
      WorkflowClient client,
      String taskQueue) {
    this(
        awsSettings,
        materialize,
        upstreamTls,
        workerCredentials,
        client,
        taskQueue,
        EgressCidrGuard.DEFAULT);
  }

  /** {@code egressGuard}: the broadest Materialize egress ranges the network step opens to. */
  public ProductionActivities(
      AwsSettings awsSettings,
      MaterializeSettings materialize,
      PgTls upstreamTls,
      Map<String, Credentials> workerCredentials,
      WorkflowClient client,
      String taskQueue,
      EgressCidrGuard egressGuard) {
    aws = new AwsClients(awsSettings);
    previousVerification = new PreviousVerification(client);
    CredentialResolver resolver = new SecretsManagerCredentialResolver(aws, workerCredentials);
    implementations.add(new RdsActivitiesImpl(aws));
    implementations.add(new WalKeepSizeActivitiesImpl(aws));
    implementations.add(new NetworkActivitiesImpl(aws, egressGuard));
    implementations.add(new SecretsActivitiesImpl(aws, resolver));
    implementations.add(new UpstreamActivitiesImpl(resolver, upstreamTls));
    implementations.add(
        new MaterializeActivitiesImpl(materialize, resolver, upstreamTls.certificateAuthority()));
    implementations.add(new ReverificationActivitiesImpl(client, taskQueue));
    implementations.add(new OnboardingRecordActivitiesImpl(client));
    implementations.add(new NotifyActivitiesImpl(Webhook.NONE, previousVerification));
  }

  /** Notifications go to {@code webhook} (replaces the default: none). */
  public ProductionActivities notifying(Webhook webhook) {
    implementations.removeIf(i -> i instanceof NotifyActivitiesImpl);
    implementations.add(new NotifyActivitiesImpl(webhook, previousVerification));
    return this;
  }

  static ProductionActivities from(OnrampConfiguration config, WorkflowClient client) {
    Map<String, Credentials> named = new HashMap<>();
    config.credentials.forEach((k, v) -> named.put(k, new Credentials(v.username, v.password)));
    return new ProductionActivities(
            config.aws.toSettings(),
            config.materialize.toSettings(),
            config.upstream.toTls(),
            named,
            client,
            config.temporal.taskQueue,
            config.aws.egressGuard())
        .notifying(config.notifications.webhook());
  }

  public List<Object> implementations() {
    return List.copyOf(implementations);
  }

  @Override
  public void close() {
    aws.close();
  }
}
