package dev.onramp.activities.rds;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;

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

  /** ModifyDBInstance(DBParameterGroupName, ApplyImmediately=true); no-op when already set. */
  void associateParameterGroup(String region, String dbInstanceId, String parameterGroup);

  /** Single check: the instance is {@code available} and its group is no longer applying. */
  InstanceState checkAvailable(String region, String dbInstanceId);

  /**
   * Reboots the instance unless it is already rebooting or has rebooted since {@code notBefore}
   * (from DescribeEvents), so a retried activity never reboots twice.
   */
  RebootOutcome reboot(String region, String dbInstanceId, Instant notBefore);

  /** Single check: the instance is {@code available} and {@code parameterGroup} is in-sync. */
  InstanceState checkRebooted(String region, String dbInstanceId, String parameterGroup);
}
