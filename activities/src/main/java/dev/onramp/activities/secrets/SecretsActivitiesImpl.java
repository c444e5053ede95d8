package dev.onramp.activities.secrets;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * {@link SecretsActivities} with the AWS SDK v2, a facade over {@link ReplicationSecretResource}.
 * Only ARNs leave it, never values.
 */
public final class SecretsActivitiesImpl implements SecretsActivities {
  private final AwsClients aws;
  private final CredentialResolver resolver;

  public SecretsActivitiesImpl(AwsClients aws, CredentialResolver resolver) {
    this.aws = aws;
    this.resolver = resolver;
  }

  private ReplicationSecretResource secret(String region) {
    return new ReplicationSecretResource(aws.secretsManager(region), region);
  }

  @Override
  public SecretRef ensureReplicationPassword(
      String region, String dbInstanceId, String secretName, String username) {
    // As before the resource model: a secret scheduled for deletion is refused, not restored.
    LedgerEntry entry =
        secret(region)
            .converge(
                new ReplicationSecretRequest(region, dbInstanceId, secretName, username), false);
    return SecretRef.secretsManager(entry.attribute("arn"));
  }

  @Override
  public void checkReplicationSecret(String region, String secretName, String username) {
    DescribeSecretResponse described = secret(region).describe(secretName);
    if (described != null) {
      if (described.deletedDate() != null) {
        throw ReplicationSecretResource.scheduledForDeletion(secretName, null);
      }
      OnrampSecretTags.refuseForeign(described, username);
    }
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

  // ---- the resource model (issue 13) ----

  @Override
  public ReplicationSecret convergeReplicationSecret(ReplicationSecretRequest request) {
    LedgerEntry entry = secret(request.region()).converge(request);
    return new ReplicationSecret(SecretRef.secretsManager(entry.attribute("arn")), entry);
  }

  @Override
  public PlannedChange planReplicationSecret(ReplicationSecretRequest request) {
    return secret(request.region()).plan(request);
  }

  @Override
  public Removal removeReplicationSecret(SecretRemoval removal) {
    LedgerEntry entry = removal.entry();
    if (entry.kind() != ResourceKind.REPLICATION_SECRET) {
      return Removal.of(
          entry, RemovalOutcome.KEPT_NOT_OURS, "not a replication-secret entry; nothing done");
    }
    return secret(removal.region()).remove(entry);
  }

  @Override
  public List<Finding> replicationSecretDrift(ReplicationSecretRequest request) {
    return secret(request.region()).drift(request);
  }
}
