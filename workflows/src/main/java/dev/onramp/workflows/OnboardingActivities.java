package dev.onramp.workflows;

import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.verification.ReverificationActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The activity stubs the onboarding uses, with the kinds of options it needs. Ordinary calls retry
 * what their system's failure table calls transient (activities/aws AwsFailures, activities/jdbc
 * SqlFailures and MaterializeFailures; docs/errors.md) with backoff, for as long as the call's
 * schedule-to-close bound allows, not for a number of attempts: an RDS instance in {@code
 * backing-up} answers {@code InvalidDBInstanceState} for as long as the backup takes, and a
 * Materialize restart lasts minutes, so a count of attempts gave up after three minutes at most.
 * Infrequent polls check once per attempt with a fixed interval and unlimited attempts bounded by
 * {@code awsMaxWait}, so a wait of hours adds no history events; the snapshot wait heartbeats.
 */
final class OnboardingActivities {
  /** AWS API calls: throttling, 5xx and a busy instance (backups run up to an hour or more). */
  static final Duration AWS_CALL_BOUND = Duration.ofMinutes(20);

  /** The upstream over JDBC: a rebooting instance, a lock held by a long-running reader. */
  static final Duration UPSTREAM_CALL_BOUND = Duration.ofMinutes(15);

  /** Materialize over pgwire: an environment restart, an upstream not reachable yet. */
  static final Duration MATERIALIZE_CALL_BOUND = Duration.ofMinutes(15);

  /** Between two attempts of an ordinary call: 2 s doubling up to 1 min (attempts unlimited). */
  static final RetryOptions CALL_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(0)
          .build();

  private static final Map<String, Duration> BOUND_BY_ACTIVITY_TYPE = new HashMap<>();

  static {
    bound(RdsActivities.class, AWS_CALL_BOUND);
    bound(NetworkActivities.class, AWS_CALL_BOUND);
    bound(SecretsActivities.class, AWS_CALL_BOUND);
    bound(UpstreamActivities.class, UPSTREAM_CALL_BOUND);
    bound(MaterializeActivities.class, MATERIALIZE_CALL_BOUND);
    bound(ReverificationActivities.class, MATERIALIZE_CALL_BOUND);
    bound(dev.onramp.activities.rds.WalKeepSizeActivities.class, AWS_CALL_BOUND);
  }

  private static void bound(Class<?> activities, Duration bound) {
    // Activity type names are the method names with the first letter upper-cased (the SDK's
    // default); the interfaces' method names do not repeat across systems.
    Arrays.stream(activities.getMethods())
        .map(Method::getName)
        .forEach(
            m ->
                BOUND_BY_ACTIVITY_TYPE.put(
                    Character.toUpperCase(m.charAt(0)) + m.substring(1), bound));
  }

  /** Activity types only ever called through the poll stubs (bounded by awsMaxWait instead). */
  private static final java.util.Set<String> POLLS =
      java.util.Set.of("CheckAvailable", "CheckRebooted");

  /**
   * The schedule-to-close bound of an ordinary call of this activity type; null for polls and
   * unknown types.
   */
  static Duration callBound(String activityType) {
    return POLLS.contains(activityType) ? null : BOUND_BY_ACTIVITY_TYPE.get(activityType);
  }

  static ActivityOptions call(Duration bound) {
    return call(bound, ActivityCancellationType.TRY_CANCEL);
  }

  static ActivityOptions call(Duration bound, ActivityCancellationType cancellation) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setScheduleToCloseTimeout(bound)
        .setRetryOptions(CALL_RETRY)
        .setCancellationType(cancellation)
        .build();
  }

  final RdsActivities rds;
  final RdsActivities rdsPoll;
  final NetworkActivities network;
  final SecretsActivities secrets;
  final UpstreamActivities upstream;
  final UpstreamActivities upstreamPoll;

  /** Upstream DDL: a lock not granted in time comes back to the workflow, which shows it. */
  final UpstreamActivities upstreamDdl;

  final MaterializeActivities materialize;
  final MaterializeActivities snapshot;
  final ReverificationActivities reverification;

  /**
   * {@code waitForCancellation}: calls change things (groups, reboots, users, sources), so a
   * cancelled run waits until the call in flight has finished and its report is exact. False only
   * for runs started before that (their histories did not wait; docs/versioning.md).
   */
  OnboardingActivities(WaitSettings waits, boolean waitForCancellation) {
    this(waits, waitForCancellation, null, null);
  }

  /**
   * With {@code dbInstanceId} (and {@code database}) given, every call carries a summary the Web UI
   * shows ("reboot orders-db"; {@link WebUiMetadata}); a summary is not compared on replay.
   */
  OnboardingActivities(
      WaitSettings waits, boolean waitForCancellation, String dbInstanceId, String database) {
    ActivityCancellationType cancellation =
        waitForCancellation
            ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED
            : ActivityCancellationType.TRY_CANCEL;
    // One check is one Describe call: 30 s is ample, and it bounds how long a poll that died
    // with its worker keeps the wait from going on (Temporal retries it after this timeout).
    ActivityOptions poll =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setScheduleToCloseTimeout(waits.awsMaxWait())
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(waits.awsPollInterval())
                    .setBackoffCoefficient(1)
                    .setMaximumInterval(waits.awsPollInterval())
                    .setMaximumAttempts(0)
                    .build())
            .build();
    Duration heartbeat = waits.snapshotPollInterval().multipliedBy(4);
    ActivityOptions snapshotWait =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(waits.snapshotMaxWait())
            .setScheduleToCloseTimeout(waits.snapshotMaxWait())
            .setHeartbeatTimeout(
                heartbeat.compareTo(Duration.ofSeconds(30)) < 0
                    ? Duration.ofSeconds(30)
                    : heartbeat)
            .setRetryOptions(CALL_RETRY)
            .build();
    rds = stub(RdsActivities.class, dbInstanceId, database, call(AWS_CALL_BOUND, cancellation));
    rdsPoll = stub(RdsActivities.class, dbInstanceId, database, poll);
    network =
        stub(NetworkActivities.class, dbInstanceId, database, call(AWS_CALL_BOUND, cancellation));
    secrets =
        stub(SecretsActivities.class, dbInstanceId, database, call(AWS_CALL_BOUND, cancellation));
    upstream =
        stub(
            UpstreamActivities.class,
            dbInstanceId,
            database,
            call(UPSTREAM_CALL_BOUND, cancellation));
    upstreamPoll = stub(UpstreamActivities.class, dbInstanceId, database, poll);
    upstreamDdl =
        stub(
            UpstreamActivities.class,
            dbInstanceId,
            database,
            ActivityOptions.newBuilder(call(UPSTREAM_CALL_BOUND, cancellation))
                .setRetryOptions(
                    RetryOptions.newBuilder(CALL_RETRY)
                        .setDoNotRetry(OnboardingFailures.UPSTREAM_LOCK_BUSY)
                        .build())
                .build());
    materialize =
        stub(
            MaterializeActivities.class,
            dbInstanceId,
            database,
            call(MATERIALIZE_CALL_BOUND, cancellation));
    snapshot = stub(MaterializeActivities.class, dbInstanceId, database, snapshotWait);
    reverification =
        stub(
            ReverificationActivities.class,
            dbInstanceId,
            database,
            call(MATERIALIZE_CALL_BOUND, cancellation));
  }

  private static <T> T stub(
      Class<T> activities, String dbInstanceId, String database, ActivityOptions options) {
    return dbInstanceId == null
        ? Workflow.newActivityStub(activities, options)
        : Workflow.newActivityStub(
            activities,
            options,
            WebUiMetadata.activitySummaries(activities, dbInstanceId, database));
  }
}
