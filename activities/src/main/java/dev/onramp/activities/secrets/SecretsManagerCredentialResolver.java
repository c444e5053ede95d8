package dev.onramp.activities.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Resolves Secrets Manager secrets (RDS-managed master secrets hold {@code {"username",
 * "password"}} JSON; a plain-string secret is taken as a password) and named credentials from the
 * worker's configuration.
 */
public final class SecretsManagerCredentialResolver implements CredentialResolver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AwsClients aws;
  private final Map<String, Credentials> workerCredentials;

  public SecretsManagerCredentialResolver(
      AwsClients aws, Map<String, Credentials> workerCredentials) {
    this.aws = aws;
    this.workerCredentials = Map.copyOf(workerCredentials);
  }

  @Override
  public Credentials resolve(String region, SecretRef ref, String fallbackUsername) {
    return switch (ref.kind()) {
      case WORKER_CONFIG -> {
        Credentials c = workerCredentials.get(ref.id());
        if (c == null) {
          throw OnboardingFailures.nonRetryable(
              OnboardingFailures.SECRET_NOT_FOUND,
              "the worker has no credentials named '"
                  + ref.id()
                  + "'; add them under credentials: in the worker configuration");
        }
        yield c;
      }
      case SECRETS_MANAGER -> fromSecretsManager(region, ref.id(), fallbackUsername);
      case RDS_MANAGED ->
          throw new IllegalArgumentException(
              "RDS_MANAGED must be replaced by the instance's MasterUserSecret ARN before use");
    };
  }

  private Credentials fromSecretsManager(String region, String secretId, String fallbackUsername) {
    GetSecretValueResponse value;
    try {
      value = aws.secretsManager(region).getSecretValue(b -> b.secretId(secretId));
    } catch (ResourceNotFoundException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECRET_NOT_FOUND,
          "secret " + secretId + " does not exist in " + region + "; check its ARN or name");
    } catch (SecretsManagerException e) {
      // Throttling is retried, DecryptionFailure is a KMS problem, AccessDeniedException a
      // permission: the Secrets Manager table in AwsFailures tells them apart.
      throw AwsFailures.translate("GetSecretValue " + secretId, e);
    }
    String text = value.secretString();
    if (text == null) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECRET_NOT_FOUND,
          "secret " + secretId + " has no SecretString; store {\"username\",\"password\"} JSON");
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node != null && node.isObject() && node.hasNonNull("password")) {
        String user =
            node.hasNonNull("username") ? node.get("username").asText() : fallbackUsername;
        return new Credentials(user, node.get("password").asText());
      }
    } catch (java.io.IOException notJson) {
      // A plain string secret: the password itself.
    }
    return new Credentials(fallbackUsername, text);
  }
}
