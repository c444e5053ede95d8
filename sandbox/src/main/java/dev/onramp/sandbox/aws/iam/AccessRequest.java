package dev.onramp.sandbox.aws.iam;

import java.util.List;
import java.util.Map;

/**
 * What one API call asks IAM for: the action ({@code rds:RebootDBInstance}), every resource ARN the
 * service authorizes it against ({@code *} for actions without resource-level permissions), and the
 * tags of those resources that exist (for {@code aws:ResourceTag/<key>} conditions).
 */
public record AccessRequest(
    String action, List<String> resources, Map<String, Map<String, String>> resourceTags) {
  public AccessRequest {
    resources = List.copyOf(resources);
    resourceTags = Map.copyOf(resourceTags);
  }

  public AccessRequest(String action, List<String> resources) {
    this(action, resources, Map.of());
  }

  public static AccessRequest of(String action, String... resources) {
    return new AccessRequest(action, List.of(resources));
  }

  public Map<String, String> tagsOf(String resource) {
    return resourceTags.getOrDefault(resource, Map.of());
  }
}
