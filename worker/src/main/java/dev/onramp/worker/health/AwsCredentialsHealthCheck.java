package dev.onramp.worker.health;

import com.codahale.metrics.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The SDK's default credentials chain resolves credentials (it does not call AWS). The health
 * output (served on the unauthenticated admin port) shows no part of a key.
 */
public final class AwsCredentialsHealthCheck extends HealthCheck {
  private static final Logger log = LoggerFactory.getLogger(AwsCredentialsHealthCheck.class);

  @Override
  protected Result check() {
    try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
      provider.resolveCredentials();
      return Result.healthy("AWS credentials resolve");
    } catch (RuntimeException e) {
      log.warn("health: no AWS credentials: {}", e.getMessage());
      return Result.unhealthy(
          "no AWS credentials. Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run"
              + " on a role");
    }
  }
}
