package dev.onramp.sandbox.aws.iam;

/**
 * Checks every call against one identity's policy and words a refusal as IAM does: "User:
 * arn:aws:iam::123456789012:user/onramp is not authorized to perform: rds:RebootDBInstance on
 * resource: arn:aws:rds:... because no identity-based policy allows the rds:RebootDBInstance
 * action" (or "with an explicit deny in an identity-based policy"), the text AWS returns since 2021
 * (IAM User Guide, "Troubleshoot access denied error messages").
 */
public final class PolicyEnforcer {
  private volatile IamPolicy policy;
  private final String principalArn;

  /**
   * @param policy the policy to enforce; null enforces nothing (the emulator's default)
   */
  public PolicyEnforcer(IamPolicy policy, String principalArn) {
    this.policy = policy;
    this.principalArn = principalArn;
  }

  public IamPolicy policy() {
    return policy;
  }

  /** From now on enforce {@code next} (null: nothing), as when someone edits the role's policy. */
  public void replace(IamPolicy next) {
    this.policy = next;
  }

  /** Throws when any resource of the request is not allowed. */
  public void check(AccessRequest request) {
    IamPolicy policy = this.policy;
    if (policy == null) {
      return;
    }
    for (String resource : request.resources()) {
      IamPolicy.Decision d = policy.evaluate(request.action(), resource, request.tagsOf(resource));
      if (d != IamPolicy.Decision.ALLOW) {
        String why =
            d == IamPolicy.Decision.EXPLICIT_DENY
                ? "with an explicit deny in an identity-based policy"
                : "because no identity-based policy allows the " + request.action() + " action";
        throw new AccessDeniedException(
            "User: "
                + principalArn
                + " is not authorized to perform: "
                + request.action()
                + " on resource: "
                + resource
                + " "
                + why,
            request.action(),
            resource);
      }
    }
  }
}
