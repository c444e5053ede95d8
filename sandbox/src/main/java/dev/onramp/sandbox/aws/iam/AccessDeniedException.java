package dev.onramp.sandbox.aws.iam;

/** A call the policy does not allow; the protocol layer renders it in the service's envelope. */
public final class AccessDeniedException extends RuntimeException {
  private final String action;
  private final String resource;

  AccessDeniedException(String message, String action, String resource) {
    super(message, null, false, false);
    this.action = action;
    this.resource = resource;
  }

  public String action() {
    return action;
  }

  public String resource() {
    return resource;
  }
}
