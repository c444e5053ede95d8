package dev.onramp.activities.network;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** EC2 security groups through the AWS SDK v2. */
@ActivityInterface
public interface NetworkActivities {

  /**
   * Allows TCP {@code port} from each CIDR on each security group, with a description marking the
   * rule as onramp's. Rules already present count as success (Describe first, since one duplicate
   * fails a whole AuthorizeSecurityGroupIngress call).
   */
  IngressResult authorizeIngress(
      String region, List<String> securityGroupIds, int port, List<String> cidrs);

  /**
   * Checks Materialize's egress CIDRs against the worker's limits ({@code EgressCidrGuard}) without
   * changing anything; refuses non-retryably, naming the CIDR. Preflight runs it, so a CIDR that
   * {@link #authorizeIngress} would refuse stops the run before anything changes.
   */
  void checkEgressCidrs(List<String> cidrs);
}
