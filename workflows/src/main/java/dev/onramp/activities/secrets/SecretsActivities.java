package dev.onramp.activities.secrets;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.SecretRef;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Secrets Manager through the AWS SDK v2. Returns references, never values. */
@ActivityInterface
public interface SecretsActivities {

  /**
   * Makes sure a secret named {@code secretName} holds {@code {"username": .., "password": ..}} for
   * the replication user, generating a strong password the first time and tagging the secret as
   * onramp's (with region, instance and user). An existing onramp secret is reused as it is (other
   * databases on the instance log in with that password); a secret without onramp's tag, or one for
   * another user, is refused ({@code ForeignObject}) and left untouched. Returns its ARN.
   */
  SecretRef ensureReplicationPassword(
      String region, String dbInstanceId, String secretName, String username);

  /**
   * Read-only, for preflight: refuses ({@code ForeignObject}) an existing secret that is not
   * onramp's or belongs to another replication user, and one scheduled for deletion.
   */
  void checkReplicationSecret(String region, String secretName, String username);

  /** Checks that a credential reference resolves (exists, readable, has username and password). */
  void checkReadable(String region, SecretRef ref);

  // ---- the resource model (issue 13): one record per call, typed outcomes ----

  ReplicationSecret convergeReplicationSecret(ReplicationSecretRequest request);

  PlannedChange planReplicationSecret(ReplicationSecretRequest request);

  /** Deletes the secret onramp created (with Secrets Manager's recovery window). */
  Removal removeReplicationSecret(SecretRemoval removal);

  /** Re-verification: the replication password's secret still exists and is not being deleted. */
  List<Finding> replicationSecretDrift(ReplicationSecretRequest request);
}
