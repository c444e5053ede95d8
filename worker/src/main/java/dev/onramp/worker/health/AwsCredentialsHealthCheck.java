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

  /**
   * Logs a warning when the default chain finds no credentials, so a person sees at start why every
   * onboarding would fail at its first AWS call. In the background: on a machine that is not on EC2
   * the chain's last step (the instance metadata service) takes seconds to give up.
   */
  public static void warnInBackgroundIfUnresolvable() {
    Thread t =
        new Thread(
            () -> {
              try (DefaultCredentialsProvider provider =
                  DefaultCredentialsProvider.builder().build()) {
                provider.resolveCredentials();
              } catch (RuntimeException e) {
                log.warn(
                    "AWS credentials cannot be resolved, so every onboarding will fail at its first"
                        + " AWS call: set aws.profile / AWS_PROFILE (for SSO after aws sso login),"
                        + " or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an instance"
                        + " or task role; the sandbox's onramp.env sets them. The SDK said: {}",
                    e.getMessage());
              }
            },
            "aws-credentials-check");
    t.setDaemon(true);
    t.start();
  }

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
