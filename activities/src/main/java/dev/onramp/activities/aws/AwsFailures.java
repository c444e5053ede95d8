package dev.onramp.activities.aws;

import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Turns AWS errors that the SDK did not retry away into the workflow's failures. Throttling and 5xx
 * have already been retried by the SDK's retry strategy; when they still come through, the activity
 * fails retryably so Temporal tries again later. Access problems and other client errors are
 * non-retryable with AWS's own message and what to do.
 */
public final class AwsFailures {
  private AwsFailures() {}

  public static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
  }

  public static String message(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
        ? e.getMessage()
        : e.awsErrorDetails().errorMessage();
  }

  public static boolean isRetryable(AwsServiceException e) {
    return e.statusCode() >= 500 || e.isThrottlingException() || e.retryable();
  }

  /** A failure for an AWS error with no more specific meaning in context. */
  public static ApplicationFailure translate(String action, AwsServiceException e) {
    String text = action + " failed: " + code(e) + ": " + message(e);
    if (isRetryable(e)) {
      return ApplicationFailure.newFailureWithCause(text, OnboardingFailures.AWS, e);
    }
    if (e.statusCode() == 403
        || code(e).startsWith("AccessDenied")
        || code(e).equals("UnauthorizedOperation")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.PERMISSION_DENIED,
          text
              + "; grant the worker's IAM identity this permission (see the IAM policy in the docs)",
          e);
    }
    return OnboardingFailures.nonRetryable(OnboardingFailures.AWS, text, e);
  }
}
