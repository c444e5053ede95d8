package dev.onramp.workflows;

import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.upstream.UpstreamActivities;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
 * <p>A read gets one local attempt of at most {@link #LOCAL_ATTEMPT} seconds. When it fails with
 * what the failure tables call permanent, that failure is the read's, as an ordinary call's would
 * be. When it fails otherwise (throttled, unreachable, too slow), the same call is made again as an
 * ordinary activity, with the ordinary calls' retries, bound and last-error report ({@link
 * FailureExplainer}); only such a read costs history events. Retrying inside the workflow task
 * would keep the task open (the SDK completes it and starts the next every 8 s), and every progress
 * query waits for the task: {@code onramp status} and the REST API would hang for seconds while AWS
 * throttles.
 */
final class ReadCalls {
  /** The change id; see docs/versioning.md. */
  static final String LEAN_HISTORY_CHANGE = "lean-history";

  static final int LEAN_HISTORY = 1;

  /** How long a read's one local attempt may take before the ordinary activity takes over. */
  static final Duration LOCAL_ATTEMPT = Duration.ofSeconds(3);

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

  /**
   * Runs since {@code lean-history}: a local activity of the same registered implementation first,
   * the ordinary stub of {@code act} when that attempt fails but not permanently.
   */
  static ReadCalls local(String dbInstanceId, String database, OnboardingActivities act) {
    return new ReadCalls(
        localFirst(RdsActivities.class, act.rds, dbInstanceId, database),
        localFirst(SecretsActivities.class, act.secrets, dbInstanceId, database),
        localFirst(UpstreamActivities.class, act.upstream, dbInstanceId, database),
        localFirst(MaterializeActivities.class, act.materialize, dbInstanceId, database),
        localFirst(NetworkActivities.class, act.network, dbInstanceId, database));
  }

  /** The options of a read's one local attempt. */
  static LocalActivityOptions options() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(LOCAL_ATTEMPT)
        .setScheduleToCloseTimeout(LOCAL_ATTEMPT)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        // The marker keeps the result, which replay needs; the arguments it does not need.
        .setDoNotIncludeArgumentsIntoMarker(true)
        .build();
  }

  /** {@code activities} as a local stub whose transient failures go to {@code ordinary}. */
  @SuppressWarnings("unchecked")
  static <T> T localFirst(Class<T> activities, T ordinary, String dbInstanceId, String database) {
    T local = stub(activities, dbInstanceId, database);
    return (T)
        Proxy.newProxyInstance(
            activities.getClassLoader(),
            new Class<?>[] {activities},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.invoke(local, args);
              }
              try {
                return method.invoke(local, args);
              } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof ActivityFailure failure) || permanent(failure)) {
                  throw e.getCause();
                }
              }
              try {
                return method.invoke(ordinary, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /**
   * A failure the ordinary call would not retry either (the failure tables' permanent ones), or a
   * cancellation.
   */
  static boolean permanent(ActivityFailure failure) {
    return (failure.getCause() instanceof ApplicationFailure f && f.isNonRetryable())
        || failure.getCause() instanceof io.temporal.failure.CanceledFailure;
  }

  private static <T> T stub(Class<T> activities, String dbInstanceId, String database) {
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
    return Workflow.newLocalActivityStub(activities, options(), summaries);
  }
}
