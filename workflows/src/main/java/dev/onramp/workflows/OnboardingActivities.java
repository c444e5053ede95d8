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
import java.time.Duration;

/**
 * The activity stubs the onboarding uses, with the three kinds of options it needs: ordinary calls
 * (a few retries with backoff for transient faults the SDKs did not absorb), infrequent polls (one
 * check per attempt, fixed interval, unlimited attempts bounded by schedule-to-close, so a wait of
 * hours adds no history events), and the heartbeating snapshot wait.
 */
final class OnboardingActivities {
  private static final RetryOptions CALL_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(8)
          .build();

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
    ActivityOptions call =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(CALL_RETRY)
            .setCancellationType(
                waitForCancellation
                    ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED
                    : ActivityCancellationType.TRY_CANCEL)
            .build();
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
            .setHeartbeatTimeout(
                heartbeat.compareTo(Duration.ofSeconds(30)) < 0
                    ? Duration.ofSeconds(30)
                    : heartbeat)
            .setRetryOptions(CALL_RETRY)
            .build();
    rds = Workflow.newActivityStub(RdsActivities.class, call);
    rdsPoll = Workflow.newActivityStub(RdsActivities.class, poll);
    network = Workflow.newActivityStub(NetworkActivities.class, call);
    secrets = Workflow.newActivityStub(SecretsActivities.class, call);
    upstream = Workflow.newActivityStub(UpstreamActivities.class, call);
    upstreamPoll = Workflow.newActivityStub(UpstreamActivities.class, poll);
    upstreamDdl =
        Workflow.newActivityStub(
            UpstreamActivities.class,
            ActivityOptions.newBuilder(call)
                .setRetryOptions(
                    RetryOptions.newBuilder(CALL_RETRY)
                        .setDoNotRetry(OnboardingFailures.UPSTREAM_LOCK_BUSY)
                        .build())
                .build());
    materialize = Workflow.newActivityStub(MaterializeActivities.class, call);
    snapshot = Workflow.newActivityStub(MaterializeActivities.class, snapshotWait);
    reverification = Workflow.newActivityStub(ReverificationActivities.class, call);
  }
}
