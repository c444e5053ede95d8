package dev.onramp.activities.secrets;

import dev.onramp.workflows.SecretRef;
import io.temporal.activity.ActivityInterface;

/** Secrets Manager through the AWS SDK v2. Returns references, never values. */
@ActivityInterface
public interface SecretsActivities {

  /**
   * Makes sure a secret named {@code secretName} holds {@code {"username": .., "password": ..}} for
   * the replication user, generating a strong password the first time. Returns its ARN.
   */
  SecretRef ensureReplicationPassword(String region, String secretName, String username);

  /** Checks that a credential reference resolves (exists, readable, has username and password). */
  void checkReadable(String region, SecretRef ref);
}
