package dev.onramp.workflows;

import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.temporal.OnboardingRecordActivities;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.verification.ReverificationActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The stubs the offboarding uses. Every removal call is bounded by {@code unreachableAfter} (not
 * the onboarding's 15-20 minutes): the transient failures of an unreachable system are retried with
 * backoff that long, then the part is reported left over and the others go on. The RDS polls of the
 * restoring reboot are the onboarding's infrequent polls.
 */
final class OffboardingActivities {
  final OnboardingRecordActivities record;
  final ReverificationActivities reverification;
  final MaterializeActivities materialize;
  final UpstreamActivities upstream;
  final NetworkActivities network;
  final SecretsActivities secrets;
  final RdsActivities rds;
  final RdsActivities rdsPoll;

  OffboardingActivities(OffboardingWaits waits) {
    Duration bound = waits.unreachableAfter();
    Duration attempt = bound.compareTo(Duration.ofMinutes(2)) < 0 ? bound : Duration.ofMinutes(2);
    ActivityOptions call =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(attempt)
            .setScheduleToCloseTimeout(bound)
            .setRetryOptions(OnboardingActivities.CALL_RETRY)
            // Removals change things: a cancelled run waits for the call in flight to finish.
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            .build();
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
    record = Workflow.newActivityStub(OnboardingRecordActivities.class, call);
    reverification = Workflow.newActivityStub(ReverificationActivities.class, call);
    materialize = Workflow.newActivityStub(MaterializeActivities.class, call);
    upstream = Workflow.newActivityStub(UpstreamActivities.class, call);
    network = Workflow.newActivityStub(NetworkActivities.class, call);
    secrets = Workflow.newActivityStub(SecretsActivities.class, call);
    rds = Workflow.newActivityStub(RdsActivities.class, call);
    rdsPoll = Workflow.newActivityStub(RdsActivities.class, poll);
  }
}
