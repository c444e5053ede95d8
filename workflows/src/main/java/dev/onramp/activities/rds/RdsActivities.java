package dev.onramp.activities.rds;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;

/**
 * Amazon RDS through the AWS SDK v2. Every method is idempotent. The {@code check*} methods are
 * single checks for the infrequent-polling pattern: they return when the goal holds and throw
 * {@code OnboardingFailures.notReady} otherwise, so retries do the waiting.
 */
@ActivityInterface
public interface RdsActivities {

  /** The instance as DescribeDBInstances reports it; non-retryable when absent. */
  DbInstanceInfo describeInstance(String region, String dbInstanceId);

  /**
   * Decides how {@code rds.logical_replication=1} gets into the instance's parameter group: already
   * set, a new group for a {@code default.*} one, a copy of a shared custom group, or a change in
   * place of a custom group only this instance uses.
   */
  ParameterGroupPlan planParameterGroup(String region, String dbInstanceId);

  /** Creates or copies the target group if missing and sets the parameter (pending-reboot). */
  void prepareParameterGroup(String region, ParameterGroupPlan plan);

  /**
   * ModifyDBInstance(DBParameterGroupName, ApplyImmediately=true); no-op when already set.
   * ApplyImmediately=true applies every pending modification of the instance too, so unless {@code
   * applyPendingModifications} the call is refused (non-retryable, listing them) when there are
   * any.
   */
  void associateParameterGroup(
      String region, String dbInstanceId, String parameterGroup, boolean applyPendingModifications);

  /** Single check: the instance is {@code available} and its group is no longer applying. */
  InstanceState checkAvailable(String region, String dbInstanceId);

  /**
   * Single check after {@link #associateParameterGroup}: satisfied only by evidence the
   * modification happened, never by a first {@code available} (RDS's describes lag behind
   * ModifyDBInstance): two consecutive reads both show {@code parameterGroup}, {@code available},
   * and the group no longer {@code applying}.
   */
  InstanceState checkAssociated(String region, String dbInstanceId, String parameterGroup);

  /**
   * Reboots the instance unless it is already rebooting or has rebooted since {@code notBefore}
   * (from DescribeEvents), so a retried activity never reboots twice.
   */
  RebootOutcome reboot(String region, String dbInstanceId, Instant notBefore);

  /**
   * Single check after {@link #reboot}: satisfied only when DescribeEvents shows the instance
   * restarted at or after {@code rebootRequestedAt} and two consecutive describes show it {@code
   * available} on {@code parameterGroup} (in-sync, or still pending-reboot when the reboot did not
   * apply it; the workflow then asks the database). A null {@code rebootRequestedAt} (histories
   * from before it existed) skips the event check.
   */
  InstanceState checkRebooted(
      String region, String dbInstanceId, String parameterGroup, Instant rebootRequestedAt);

  // ---- the resource model (issue 13): one record per call, typed outcomes ----

  /** Carries out the plan (create, copy or modify in place); CREATED / CHANGED / REUSED. */
  LedgerEntry convergeParameterGroup(ParameterGroupRequest request);

  /** Associates the group; the entry's {@code previous} is the group the instance left. */
  LedgerEntry convergeAssociation(AssociationRequest request);

  /** Deletes a group onramp created once no instance uses it; otherwise says why not. */
  Removal removeParameterGroup(ParameterGroupRemoval removal);

  /**
   * Re-verification: the instance is not on a {@code default.*} group, the group it uses sets
   * {@code rds.logical_replication=1}, and the group is {@code in-sync} on the instance.
   */
  List<Finding> parameterGroupDrift(ParameterGroupCheck check);
}
