package dev.onramp.workflows;

import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.upstream.UpstreamActivities;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.workflow.Workflow;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The stubs of the short read-only calls: preflight's checks (describe the instance and
 * Materialize, the credentials readable, the upstream's tables, the plan, the ownership checks, the
 * egress CIDRs) and the cluster's utilisation in step 10.
 *
 * <p>Since the {@code lean-history} change they are <em>local activities</em>: the worker runs them
 * inside the workflow task and records one marker with the result, instead of three events and a
 * workflow task of three more per call (Temporal docs, "Local Activities"), which brought an
 * onboarding from 191 events to under 150. Only calls that change nothing qualify: a local activity
 * whose worker dies is run again from its start by the next worker (its marker was never recorded),
 * which a read can afford and a change could not prove. The polls ({@code checkAvailable}, {@code
 * checkRebooted}, the snapshot wait) stay ordinary activities: their retries are invisible in
 * history only as server-side retries. Runs without the marker keep the ordinary stubs.
 *
 * <p>The retry policy and the schedule-to-close bound are the ordinary calls' ({@link
 * OnboardingActivities#call}): what the failure tables call permanent is not retried, transient
 * errors are retried for minutes, all inside the worker ({@link #LOCAL_RETRY_THRESHOLD}), so that a
 * read that runs out of its bound fails with its last error, which {@link FailureExplainer} names
 * as it names an ordinary call's. The bound is measured on the worker's clock, not workflow time.
 * While a read keeps failing the SDK keeps the workflow task open by completing it and starting the
 * next every 8 s (80 % of the task timeout): history grows only while something is failing.
 */
final class ReadCalls {
  /** The change id; see docs/versioning.md. */
  static final String LEAN_HISTORY_CHANGE = "lean-history";

  static final int LEAN_HISTORY = 1;

  /**
   * Retries whose back-off is longer than this wait on a workflow timer instead of in the worker
   * (the SDK's {@code localRetryThreshold}). Longer than the ordinary calls' longest back-off (1
   * min), so no read does: a retry after a timer starts a fresh execution that no longer knows the
   * last attempt's error, and a read that ran out of time then failed without it (seen in SDK
   * 1.38).
   */
  static final Duration LOCAL_RETRY_THRESHOLD =
      OnboardingActivities.CALL_RETRY.getMaximumInterval().plusMinutes(1);

  final RdsActivities rds;
  final SecretsActivities secrets;
  final UpstreamActivities upstream;
  final MaterializeActivities materialize;
  final NetworkActivities network;

  private ReadCalls(
      RdsActivities rds,
      SecretsActivities secrets,
      UpstreamActivities upstream,
      MaterializeActivities materialize,
      NetworkActivities network) {
    this.rds = rds;
    this.secrets = secrets;
    this.upstream = upstream;
    this.materialize = materialize;
    this.network = network;
  }

  /** Runs before {@code lean-history}: the ordinary stubs, so their histories replay unchanged. */
  static ReadCalls ordinary(OnboardingActivities act) {
    return new ReadCalls(act.rds, act.secrets, act.upstream, act.materialize, act.network);
  }

  /** Runs since {@code lean-history}: local activities of the same registered implementations. */
  static ReadCalls local(String dbInstanceId, String database) {
    return new ReadCalls(
        stub(RdsActivities.class, OnboardingActivities.AWS_CALL_BOUND, dbInstanceId, database),
        stub(SecretsActivities.class, OnboardingActivities.AWS_CALL_BOUND, dbInstanceId, database),
        stub(
            UpstreamActivities.class,
            OnboardingActivities.UPSTREAM_CALL_BOUND,
            dbInstanceId,
            database),
        stub(
            MaterializeActivities.class,
            OnboardingActivities.MATERIALIZE_CALL_BOUND,
            dbInstanceId,
            database),
        stub(NetworkActivities.class, OnboardingActivities.AWS_CALL_BOUND, dbInstanceId, database));
  }

  /** The options of a read of {@code bound}: the ordinary call's timeouts and retries. */
  static LocalActivityOptions options(Duration bound) {
    var call = OnboardingActivities.call(bound);
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(call.getStartToCloseTimeout())
        .setScheduleToCloseTimeout(call.getScheduleToCloseTimeout())
        .setRetryOptions(call.getRetryOptions())
        .setLocalRetryThreshold(LOCAL_RETRY_THRESHOLD)
        // The marker keeps the result, which replay needs; the arguments it does not need.
        .setDoNotIncludeArgumentsIntoMarker(true)
        .build();
  }

  private static <T> T stub(
      Class<T> activities, Duration bound, String dbInstanceId, String database) {
    Map<String, LocalActivityOptions> summaries = new HashMap<>();
    for (Method m : activities.getMethods()) {
      // Activity type names are the method names with the first letter upper-cased (the SDK's
      // default, as WebUiMetadata.activitySummaries relies on too).
      String type = Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
      summaries.put(
          type,
          LocalActivityOptions.newBuilder()
              .setSummary(WebUiMetadata.activitySummary(m.getName(), dbInstanceId, database))
              .build());
    }
    return Workflow.newLocalActivityStub(activities, options(bound), summaries);
  }
}
