package dev.onramp.worker.health;

import com.codahale.metrics.health.HealthCheck;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** The SDK's default credentials chain resolves credentials (it does not call AWS). */
public final class AwsCredentialsHealthCheck extends HealthCheck {

  @Override
  protected Result check() {
    try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
      String keyId = provider.resolveCredentials().accessKeyId();
      return Result.healthy(
          "AWS credentials resolve (access key ...%s)",
          keyId.length() > 4 ? keyId.substring(keyId.length() - 4) : "");
    } catch (RuntimeException e) {
      return Result.unhealthy(
          "no AWS credentials: %s. Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or"
              + " run on a role",
          e.getMessage());
    }
  }
}
