package dev.onramp.activities.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@link SecretsActivities} with the AWS SDK v2. Passwords are generated here and go straight into
 * Secrets Manager; only ARNs leave this class (and nothing secret is logged).
 */
public final class SecretsActivitiesImpl implements SecretsActivities {
  private static final Logger log = LoggerFactory.getLogger(SecretsActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Letters and digits only: the password ends up in SQL ({@code PASSWORD '...'}) and in
   * Materialize's {@code CREATE SECRET}, so there is no quoting to get wrong. 32 characters from 62
   * is about 190 bits.
   */
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final AwsClients aws;
  private final CredentialResolver resolver;

  public SecretsActivitiesImpl(AwsClients aws, CredentialResolver resolver) {
    this.aws = aws;
    this.resolver = resolver;
  }

  static String generatePassword() {
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  @Override
  public SecretRef ensureReplicationPassword(String region, String secretName, String username) {
    SecretsManagerClient sm = aws.secretsManager(region);
    for (int attempt = 0; attempt < 2; attempt++) {
      GetSecretValueResponse existing = read(sm, secretName);
      if (existing == null) {
        try {
          String arn =
              sm.createSecret(
                      b ->
                          b.name(secretName)
                              .description("onramp: replication user " + username)
                              .secretString(json(username, generatePassword())))
                  .arn();
          log.info("created secret {} for replication user {}", arn, username);
          return SecretRef.secretsManager(arn);
        } catch (ResourceExistsException raced) {
          continue; // created by a concurrent attempt: read it
        } catch (SecretsManagerException e) {
          throw failure("CreateSecret " + secretName, e);
        }
      }
      JsonNode node = parse(existing.secretString());
      String password =
          node != null && node.hasNonNull("password") ? node.get("password").asText() : null;
      String storedUser =
          node != null && node.hasNonNull("username") ? node.get("username").asText() : null;
      if (password != null && !password.isEmpty() && username.equals(storedUser)) {
        return SecretRef.secretsManager(existing.arn());
      }
      // There, but not for this user (or not in the expected shape): a new version fixes it,
      // keeping a usable password if there is one.
      String newValue =
          json(username, password != null && !password.isEmpty() ? password : generatePassword());
      try {
        sm.putSecretValue(b -> b.secretId(existing.arn()).secretString(newValue));
        log.info("updated secret {} for replication user {}", existing.arn(), username);
      } catch (SecretsManagerException e) {
        throw failure("PutSecretValue " + secretName, e);
      }
      return SecretRef.secretsManager(existing.arn());
    }
    throw new IllegalStateException("secret " + secretName + " keeps appearing and vanishing");
  }

  private static GetSecretValueResponse read(SecretsManagerClient sm, String secretName) {
    try {
      return sm.getSecretValue(b -> b.secretId(secretName));
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (InvalidRequestException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECRET_NOT_FOUND,
          "secret "
              + secretName
              + " is scheduled for deletion ("
              + AwsFailures.message(e)
              + "); restore it with RestoreSecret or choose another replicationPasswordSecret",
          e);
    } catch (SecretsManagerException e) {
      throw failure("GetSecretValue " + secretName, e);
    }
  }

  private static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String json(String username, String password) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("username", username);
    m.put("password", password);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RuntimeException failure(String action, SecretsManagerException e) {
    return AwsFailures.translate(action, e);
  }

  @Override
  public void checkReadable(String region, SecretRef ref) {
    if (ref.kind() == SecretRef.Kind.RDS_MANAGED) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "an RDS_MANAGED reference must be resolved to the instance's MasterUserSecret ARN first");
    }
    Credentials c = resolver.resolve(region, ref, null);
    if (c.username() == null || c.username().isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECRET_NOT_FOUND,
          "secret " + ref + " has no username; store {\"username\": ..., \"password\": ...}");
    }
    if (c.password() == null || c.password().isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECRET_NOT_FOUND,
          "secret " + ref + " has no password; store {\"username\": ..., \"password\": ...}");
    }
  }
}
