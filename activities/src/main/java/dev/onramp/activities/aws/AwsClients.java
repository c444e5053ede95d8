package dev.onramp.activities.aws;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * One client per service and region, built once. Throttling and 5xx are retried by the SDK's
 * standard retry strategy (exponential backoff with jitter, {@code maxAttempts} in all); calls are
 * bounded by timeouts so a hung endpoint cannot hold an activity forever.
 */
public final class AwsClients implements AutoCloseable {
  private final AwsSettings settings;
  private final Map<String, RdsClient> rds = new ConcurrentHashMap<>();
  private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
  private final Map<String, SecretsManagerClient> secrets = new ConcurrentHashMap<>();

  public AwsClients(AwsSettings settings) {
    this.settings = settings;
  }

  public RdsClient rds(String region) {
    return rds.computeIfAbsent(region, r -> build(RdsClient.builder(), r));
  }

  public Ec2Client ec2(String region) {
    return ec2.computeIfAbsent(region, r -> build(Ec2Client.builder(), r));
  }

  public SecretsManagerClient secretsManager(String region) {
    return secrets.computeIfAbsent(region, r -> build(SecretsManagerClient.builder(), r));
  }

  private <B extends AwsClientBuilder<B, C>, C> C build(B builder, String region) {
    builder
        .region(Region.of(region))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(b -> b.maxAttempts(settings.maxAttempts()))
                .apiCallTimeout(settings.apiCallTimeout())
                .apiCallAttemptTimeout(Duration.ofSeconds(20))
                .build());
    if (builder
        instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(
          ApacheHttpClient.builder()
              .connectionTimeout(Duration.ofSeconds(5))
              .socketTimeout(Duration.ofSeconds(30)));
    }
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  @Override
  public void close() {
    for (Map<String, ? extends AutoCloseable> m : java.util.List.of(rds, ec2, secrets)) {
      m.values().forEach(AwsClients::closeQuietly);
      m.clear();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing at shutdown; nothing to do about a failure here.
    }
  }
}
