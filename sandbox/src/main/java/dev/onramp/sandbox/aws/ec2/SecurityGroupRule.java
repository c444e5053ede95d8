package dev.onramp.sandbox.aws.ec2;

/**
 * One ingress or egress rule. Exactly one of {@code cidrIpv4}, {@code cidrIpv6} and {@code
 * referencedGroupId} is set. Protocol {@code -1} means all.
 */
public record SecurityGroupRule(
    String ruleId,
    String ipProtocol,
    Integer fromPort,
    Integer toPort,
    String cidrIpv4,
    String cidrIpv6,
    String referencedGroupId,
    String description) {

  /** Same peer, protocol and ports: what EC2 counts as a duplicate. */
  public boolean sameRuleAs(SecurityGroupRule o) {
    return ipProtocol.equals(o.ipProtocol)
        && java.util.Objects.equals(fromPort, o.fromPort)
        && java.util.Objects.equals(toPort, o.toPort)
        && java.util.Objects.equals(cidrIpv4, o.cidrIpv4)
        && java.util.Objects.equals(cidrIpv6, o.cidrIpv6)
        && java.util.Objects.equals(referencedGroupId, o.referencedGroupId);
  }
}
