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
}
