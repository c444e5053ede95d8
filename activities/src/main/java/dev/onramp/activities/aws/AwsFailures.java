package dev.onramp.activities.aws;

import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Which AWS errors are worth retrying, one table per service (RDS, EC2, Secrets Manager), by error
 * code as each service documents it (the API references' "Errors" and "Common errors" sections,
 * shared/reference/aws-rds.md). Throttling and 5xx have already been retried by the SDK's retry
 * strategy for a few seconds; when they still come through, the activity fails retryably and
 * Temporal tries again until the call's schedule-to-close bound. Access problems, missing resources
 * and invalid values fail at once with AWS's message and what to do. Mirrored in {@code
 * docs/errors.md}; {@code AwsFailuresTest} covers each row.
 */
public final class AwsFailures {

  /** One row: an AWS error code, whether to retry, the failure type and what to do. */
  public record Rule(String code, boolean retryable, String type, String fix) {}

  private static final String IAM_FIX =
      "grant the worker's IAM identity this action on this resource (iam/onramp-policy.json)";

  public static final List<Rule> RDS =
      List.of(
          new Rule("Throttling", true, OnboardingFailures.AWS, "retried with backoff"),
          new Rule(
              "InvalidDBInstanceState",
              true,
              OnboardingFailures.INSTANCE_STATE,
              "the instance is busy (backing-up, modifying, rebooting) and this is retried while it"
                  + " is; if it stays busy, wait for that operation to finish (or move the backup"
                  + " window) and run onramp again"),
          new Rule(
              "InvalidDBParameterGroupState",
              true,
              OnboardingFailures.PARAMETER_GROUP,
              "the parameter group is being changed; retried"),
          new Rule(
              "InvalidDBClusterStateFault",
              true,
              OnboardingFailures.INSTANCE_STATE,
              "the Aurora cluster is busy (backing-up, modifying) and this is retried while it"
                  + " is; if it stays busy, wait for that operation to finish and run onramp"
                  + " again"),
          new Rule(
              "DBClusterNotFoundFault",
              false,
              OnboardingFailures.INSTANCE_NOT_FOUND,
              "check the cluster of the instance and the region"),
          new Rule(
              "DBClusterParameterGroupNotFound",
              false,
              OnboardingFailures.PARAMETER_GROUP,
              "check that the cluster parameter group exists"),
          new Rule("InternalFailure", true, OnboardingFailures.AWS, "retried; an RDS-side error"),
          new Rule(
              "ServiceUnavailable", true, OnboardingFailures.AWS, "retried; RDS is unavailable"),
          new Rule("AccessDenied", false, OnboardingFailures.PERMISSION_DENIED, IAM_FIX),
          new Rule(
              "DBInstanceNotFound",
              false,
              OnboardingFailures.INSTANCE_NOT_FOUND,
              "check the instance identifier and the region"),
          new Rule(
              "DBParameterGroupNotFound",
              false,
              OnboardingFailures.PARAMETER_GROUP,
              "check that the instance's parameter group exists"),
          new Rule(
              "DBParameterGroupAlreadyExists",
              false,
              OnboardingFailures.PARAMETER_GROUP,
              "a group of that name exists with other settings; delete or rename it"),
          new Rule(
              "DBParameterGroupQuotaExceeded",
              false,
              OnboardingFailures.PARAMETER_GROUP,
              "delete unused DB parameter groups or raise the quota"),
          new Rule(
              "InvalidParameterValue",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "RDS refused a value; check the request"),
          new Rule(
              "InvalidParameterCombination",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "RDS refused the combination of values; check the request"));

  public static final List<Rule> EC2 =
      List.of(
          new Rule("RequestLimitExceeded", true, OnboardingFailures.AWS, "retried with backoff"),
          new Rule("InternalError", true, OnboardingFailures.AWS, "retried; an EC2-side error"),
          new Rule("Unavailable", true, OnboardingFailures.AWS, "retried; EC2 is unavailable"),
          new Rule("UnauthorizedOperation", false, OnboardingFailures.PERMISSION_DENIED, IAM_FIX),
          new Rule(
              "InvalidGroup.NotFound",
              false,
              OnboardingFailures.SECURITY_GROUP,
              "check the instance's VPC security groups and the region"),
          new Rule(
              "InvalidGroupId.Malformed",
              false,
              OnboardingFailures.SECURITY_GROUP,
              "check the instance's VPC security groups"),
          new Rule(
              "RulesPerSecurityGroupLimitExceeded",
              false,
              OnboardingFailures.SECURITY_GROUP,
              "remove unused rules or raise the rules-per-group quota"),
          new Rule(
              "InvalidParameterValue",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "EC2 refused a value (a CIDR?); check the egress CIDRs"));

  public static final List<Rule> SECRETS_MANAGER =
      List.of(
          new Rule("ThrottlingException", true, OnboardingFailures.AWS, "retried with backoff"),
          new Rule(
              "InternalServiceError",
              true,
              OnboardingFailures.AWS,
              "retried; a Secrets Manager error"),
          new Rule("AccessDeniedException", false, OnboardingFailures.PERMISSION_DENIED, IAM_FIX),
          new Rule(
              "DecryptionFailure",
              false,
              OnboardingFailures.AWS,
              "Secrets Manager cannot decrypt the secret with its KMS key: check that the key is"
                  + " enabled and that the worker may kms:Decrypt with it"),
          new Rule(
              "ResourceNotFoundException",
              false,
              OnboardingFailures.SECRET_NOT_FOUND,
              "check the secret's ARN or name and the region"),
          new Rule(
              "InvalidRequestException",
              false,
              OnboardingFailures.SECRET_NOT_FOUND,
              "the secret cannot be used now (scheduled for deletion?); restore or replace it"),
          new Rule(
              "InvalidParameterException",
              false,
              OnboardingFailures.INVALID_REQUEST,
              "Secrets Manager refused a value; check the secret name"),
          new Rule(
              "LimitExceededException",
              false,
              OnboardingFailures.AWS,
              "a Secrets Manager quota is reached; delete unused secrets or raise the quota"),
          new Rule(
              "ResourceExistsException",
              false,
              OnboardingFailures.AWS,
              "a secret of that name exists; delete it or choose another name"));

  private AwsFailures() {}

  public static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? ""
        : e.awsErrorDetails().errorCode();
  }

  public static String message(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
        ? e.getMessage()
        : e.awsErrorDetails().errorMessage();
  }

  /** The table for the service that raised {@code e}. */
  static List<Rule> tableFor(AwsServiceException e) {
    if (e instanceof RdsException) {
      return RDS;
    }
    if (e instanceof Ec2Exception) {
      return EC2;
    }
    if (e instanceof SecretsManagerException) {
      return SECRETS_MANAGER;
    }
    return List.of();
  }

  /** The row for this error, or null when its service's table has none. */
  public static Rule rule(AwsServiceException e) {
    String code = code(e);
    return tableFor(e).stream().filter(r -> r.code().equals(code)).findFirst().orElse(null);
  }

  /**
   * Retryable: a row says so, or no row applies and it is a 5xx or an error the SDK itself counts
   * as throttling or retryable.
   */
  public static boolean isRetryable(AwsServiceException e) {
    Rule r = rule(e);
    if (r != null) {
      return r.retryable();
    }
    return e.statusCode() >= 500 || e.isThrottlingException() || e.retryable();
  }

  /** The failure for an AWS error while doing {@code action} (e.g. "RebootDBInstance db1"). */
  public static ApplicationFailure translate(String action, AwsServiceException e) {
    Rule r = rule(e);
    String text = action + " failed: " + code(e) + ": " + message(e);
    if (r != null) {
      String message = text + "; " + r.fix();
      return r.retryable()
          ? ApplicationFailure.newFailureWithCause(message, r.type(), e)
          : OnboardingFailures.nonRetryable(r.type(), message, e);
    }
    if (isRetryable(e)) {
      return ApplicationFailure.newFailureWithCause(text, OnboardingFailures.AWS, e);
    }
    if (e.statusCode() == 403) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.PERMISSION_DENIED, text + "; " + IAM_FIX, e);
    }
    return OnboardingFailures.nonRetryable(OnboardingFailures.AWS, text, e);
  }
}
