package dev.onramp.sandbox.aws.iam;

import java.util.List;

/**
 * What one API call asks IAM for: the action ({@code rds:RebootDBInstance}) and every resource ARN
 * the service authorizes it against ({@code *} for actions without resource-level permissions).
 */
public record AccessRequest(String action, List<String> resources) {
  public AccessRequest {
    resources = List.copyOf(resources);
  }

  public static AccessRequest of(String action, String... resources) {
    return new AccessRequest(action, List.of(resources));
  }
}
