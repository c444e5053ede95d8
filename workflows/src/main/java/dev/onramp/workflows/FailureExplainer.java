package dev.onramp.workflows;

import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;

/**
 * Turns what went wrong into one non-retryable failure whose message says, in the person's terms,
 * which step failed and why: the activity's own message, or the wait that ran out.
 */
final class FailureExplainer {
  private FailureExplainer() {}

  /**
   * {@code step} is the title of the step that was running; {@code awsMaxWait} the bound of the
   * polls that ran out, if one did.
   */
  static ApplicationFailure explain(RuntimeException e, String step, Duration awsMaxWait) {
    if (e instanceof ApplicationFailure af) {
      return af;
    }
    if (e instanceof ActivityFailure af) {
      Throwable cause = af.getCause();
      // A poll that runs out of schedule-to-close time ends with its last "not yet" as the cause.
      if (cause instanceof ApplicationFailure app
          && OnboardingFailures.NOT_READY.equals(app.getType())) {
        return OnboardingFailures.nonRetryable(
            OnboardingFailures.INSTANCE_STATE,
            step
                + ": gave up after "
                + HumanDurations.format(awsMaxWait)
                + "; last check said: "
                + app.getOriginalMessage()
                + WAIT_RAN_OUT_FIX,
            app);
      }
      Duration bound = OnboardingActivities.callBound(af.getActivityType());
      if (cause instanceof ApplicationFailure app
          && !app.isNonRetryable()
          && bound != null
          && af.getRetryState() == RetryState.RETRY_STATE_TIMEOUT) {
        // An ordinary call that kept failing transiently until its time bound: the last error
        // carries its system's fix (docs/errors.md).
        return OnboardingFailures.nonRetryable(
            app.getType(),
            gaveUp(step, af.getActivityType(), bound, app.getOriginalMessage()),
            app);
      }
      if (cause instanceof ApplicationFailure app) {
        return OnboardingFailures.nonRetryable(
            app.getType(), step + ": " + app.getOriginalMessage(), app);
      }
      if (cause instanceof TimeoutFailure timeout) {
        return explainTimeout(af, timeout, step, bound, awsMaxWait);
      }
    }
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.INSTANCE_STATE, step + ": " + e.getMessage(), e);
  }

  private static ApplicationFailure explainTimeout(
      ActivityFailure af, TimeoutFailure timeout, String step, Duration bound, Duration maxWait) {
    Throwable last = timeout.getCause();
    String lastMessage =
        last instanceof ApplicationFailure app ? app.getOriginalMessage() : String.valueOf(last);
    boolean poll =
        last instanceof ApplicationFailure app
            && OnboardingFailures.NOT_READY.equals(app.getType());
    if (!poll && bound != null) {
      return OnboardingFailures.nonRetryable(
          last instanceof ApplicationFailure app ? app.getType() : OnboardingFailures.AWS,
          gaveUp(step, af.getActivityType(), bound, lastMessage),
          timeout);
    }
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.INSTANCE_STATE,
        step
            + ": gave up after "
            + HumanDurations.format(maxWait)
            + " ("
            + timeout.getTimeoutType()
            + "); last check said: "
            + lastMessage
            + WAIT_RAN_OUT_FIX,
        timeout);
  }

  /** What to do when a wait for AWS ran out: the run stopped, nothing is half-made. */
  private static final String WAIT_RAN_OUT_FIX =
      ". Once the instance is available, run onramp again (it carries on from what exists), or"
          + " give the wait longer with --max-wait (waits.awsMaxWait)";

  private static String gaveUp(String step, String activityType, Duration bound, String last) {
    return step
        + ": gave up after retrying "
        + activityType
        + " for "
        + HumanDurations.format(bound)
        + "; last error: "
        + last;
  }
}
