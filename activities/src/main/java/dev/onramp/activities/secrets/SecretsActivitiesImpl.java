package dev.onramp.activities.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import dev.onramp.workflows.SecretRef;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

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
  public SecretRef ensureReplicationPassword(
      String region, String dbInstanceId, String secretName, String username) {
    SecretsManagerClient sm = aws.secretsManager(region);
    for (int attempt = 0; attempt < 2; attempt++) {
      DescribeSecretResponse described = describe(sm, secretName);
      if (described == null) {
        try {
          String arn =
              sm.createSecret(
                      b ->
                          b.name(secretName)
                              .description("onramp: replication user " + username)
                              .secretString(json(username, generatePassword()))
                              // Tagged in the same call: there is no moment at which the
                              // secret exists unmarked.
                              .tags(tags(region, dbInstanceId, username)))
                  .arn();
          log.info("created secret {} for replication user {}", arn, username);
          return SecretRef.secretsManager(arn);
        } catch (ResourceExistsException raced) {
          continue; // created by a concurrent attempt: read it
        } catch (SecretsManagerException e) {
          throw failure("CreateSecret " + secretName, e);
        }
      }
      if (described.deletedDate() != null) {
        throw scheduledForDeletion(secretName, null);
      }
      refuseForeign(described, username);
      GetSecretValueResponse existing = read(sm, secretName);
      if (existing == null) {
        continue; // deleted since DescribeSecret: create it
      }
      JsonNode node = parse(existing.secretString());
      String password =
          node != null && node.hasNonNull("password") ? node.get("password").asText() : null;
      String storedUser =
          node != null && node.hasNonNull("username") ? node.get("username").asText() : null;
      if (storedUser != null && !username.equals(storedUser)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.FOREIGN_OBJECT,
            "secret "
                + secretName
                + " holds the password of user "
                + storedUser
                + ", not "
                + username
                + "; another onboarding uses it. Choose another replicationPasswordSecret (the"
                + " default is one per instance and user)");
      }
      if (password != null && !password.isEmpty()) {
        // Reused as it is: other databases on the instance log in with this password.
        return SecretRef.secretsManager(existing.arn());
      }
      // onramp's own secret, but without a password (damaged by hand): a new version repairs it.
      try {
        sm.putSecretValue(
            b -> b.secretId(existing.arn()).secretString(json(username, generatePassword())));
        log.info("updated secret {} for replication user {}", existing.arn(), username);
      } catch (SecretsManagerException e) {
        throw failure("PutSecretValue " + secretName, e);
      }
      return SecretRef.secretsManager(existing.arn());
    }
    throw new IllegalStateException("secret " + secretName + " keeps appearing and vanishing");
  }

  @Override
  public void checkReplicationSecret(String region, String secretName, String username) {
    DescribeSecretResponse described = describe(aws.secretsManager(region), secretName);
    if (described != null) {
      if (described.deletedDate() != null) {
        throw scheduledForDeletion(secretName, null);
      }
      refuseForeign(described, username);
    }
  }

  /** The tags that mark a secret as onramp's, and say for which instance and user. */
  static List<Tag> tags(String region, String dbInstanceId, String username) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key(Ownership.TAG_KEY).value(Ownership.TAG_VALUE).build());
    tags.add(Tag.builder().key(Ownership.REGION_TAG).value(region).build());
    if (dbInstanceId != null) {
      tags.add(Tag.builder().key(Ownership.INSTANCE_TAG).value(dbInstanceId).build());
    }
    tags.add(Tag.builder().key(Ownership.USER_TAG).value(username).build());
    return tags;
  }

  /**
   * A secret without onramp's tag is someone else's: its value is neither read nor replaced. One of
   * onramp's for another user belongs to another onboarding.
   */
  private static void refuseForeign(DescribeSecretResponse secret, String username) {
    Map<String, String> tags = new LinkedHashMap<>();
    secret.tags().forEach(t -> tags.put(t.key(), t.value()));
    if (!Ownership.TAG_VALUE.equals(tags.get(Ownership.TAG_KEY))) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "secret "
              + secret.name()
              + " already exists and was not created by onramp (it has no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); onramp never reads or replaces the value of a secret it did not create."
              + " Choose another replicationPasswordSecret, or, if this secret is meant for"
              + " onramp and holds {\"username\": \""
              + username
              + "\", \"password\": ...} for the replication user, tag it: aws secretsmanager"
              + " tag-resource --secret-id "
              + secret.name()
              + " --tags Key="
              + Ownership.TAG_KEY
              + ",Value="
              + Ownership.TAG_VALUE);
    }
    String user = tags.get(Ownership.USER_TAG);
    if (user != null && !user.equals(username)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "secret "
              + secret.name()
              + " is onramp's secret for replication user "
              + user
              + ", not "
              + username
              + "; choose another replicationPasswordSecret (the default is one per instance and"
              + " user)");
    }
  }

  private static DescribeSecretResponse describe(SecretsManagerClient sm, String secretName) {
    try {
      return sm.describeSecret(b -> b.secretId(secretName));
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (SecretsManagerException e) {
      throw failure("DescribeSecret " + secretName, e);
    }
  }

  private static RuntimeException scheduledForDeletion(String secretName, Exception e) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.SECRET_NOT_FOUND,
        "secret "
            + secretName
            + " is scheduled for deletion"
            + (e == null ? "" : " (" + AwsFailures.message((SecretsManagerException) e) + ")")
            + "; restore it with RestoreSecret or choose another replicationPasswordSecret",
        e);
  }

  private static GetSecretValueResponse read(SecretsManagerClient sm, String secretName) {
    try {
      return sm.getSecretValue(b -> b.secretId(secretName));
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (InvalidRequestException e) {
      throw scheduledForDeletion(secretName, e);
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

  @Override
  public ReplicationSecret convergeReplicationSecret(ReplicationSecretRequest request) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }

  @Override
  public PlannedChange planReplicationSecret(ReplicationSecretRequest request) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }

  @Override
  public Removal removeReplicationSecret(SecretRemoval removal) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }
}
