package dev.onramp.sandbox.aws.http;

/**
 * An error as the AWS service would return it: code, message and HTTP status. Handlers throw it;
 * the protocol layer renders it in the service's own envelope (Query XML or JSON 1.1).
 */
public final class AwsException extends RuntimeException {
  private final String code;
  private final int httpStatus;

  public AwsException(String code, int httpStatus, String message) {
    super(message, null, false, false);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public static AwsException badRequest(String code, String message) {
    return new AwsException(code, 400, message);
  }

  public static AwsException notFound(String code, String message) {
    return new AwsException(code, 404, message);
  }

  public static AwsException invalidParameterValue(String message) {
    return new AwsException("InvalidParameterValue", 400, message);
  }

  public static AwsException missingParameter(String name) {
    // AWS common error text for a missing required parameter.
    return new AwsException(
        "MissingParameter", 400, "The request must contain the parameter " + name);
  }

  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** 5xx errors are the service's fault (Type Receiver in the Query envelope). */
  public boolean isServerFault() {
    return httpStatus >= 500;
  }
}
