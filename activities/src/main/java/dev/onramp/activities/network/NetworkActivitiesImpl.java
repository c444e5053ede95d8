package dev.onramp.activities.network;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.workflows.EgressCidrGuard;
import dev.onramp.workflows.OnboardingFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * {@link NetworkActivities} with the AWS SDK v2. One duplicate rule fails a whole
 * AuthorizeSecurityGroupIngress call ({@code InvalidPermission.Duplicate}), so the groups are
 * described first and only the missing CIDRs are authorized; a duplicate that appears in between (a
 * concurrent run) still counts as present.
 */
public final class NetworkActivitiesImpl implements NetworkActivities {
  private static final Logger log = LoggerFactory.getLogger(NetworkActivitiesImpl.class);

  /** Marks the rules as onramp's in the console and in DescribeSecurityGroups. */
  public static final String RULE_DESCRIPTION = "onramp: Materialize egress";

  private final AwsClients aws;
  private final EgressCidrGuard guard;

  public NetworkActivitiesImpl(AwsClients aws) {
    this(aws, EgressCidrGuard.DEFAULT);
  }

  /** With {@code guard}'s limits on how broad an egress range may be. */
  public NetworkActivitiesImpl(AwsClients aws, EgressCidrGuard guard) {
    this.aws = aws;
    this.guard = guard;
  }

  @Override
  public IngressResult authorizeIngress(
      String region, List<String> securityGroupIds, int port, List<String> cidrs) {
    if (securityGroupIds == null || securityGroupIds.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECURITY_GROUP,
          "the instance has no VPC security group to open; attach one, or choose networkMode NONE"
              + " and open the path yourself");
    }
    // The workflow checked them in preflight; refuse here too, so no caller can open the port
    // to the internet through this activity.
    guard.check(cidrs);
    Ec2Client ec2 = aws.ec2(region);
    Map<String, SecurityGroup> groups = describe(ec2, region, securityGroupIds);
    List<String> added = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (String groupId : securityGroupIds) {
      SecurityGroup g = groups.get(groupId);
      List<String> missing = new ArrayList<>();
      for (String cidr : cidrs.stream().distinct().toList()) {
        if (allows(g, port, cidr)) {
          present.add(rule(groupId, port, cidr));
        } else {
          missing.add(cidr);
        }
      }
      if (missing.isEmpty()) {
        continue;
      }
      try {
        authorize(ec2, groupId, port, missing);
        missing.forEach(c -> added.add(rule(groupId, port, c)));
      } catch (Ec2Exception e) {
        if (!"InvalidPermission.Duplicate".equals(AwsFailures.code(e))) {
          throw failure(groupId, e);
        }
        // Someone added one of them meanwhile: go one by one.
        for (String cidr : missing) {
          try {
            authorize(ec2, groupId, port, List.of(cidr));
            added.add(rule(groupId, port, cidr));
          } catch (Ec2Exception one) {
            if (!"InvalidPermission.Duplicate".equals(AwsFailures.code(one))) {
              throw failure(groupId, one);
            }
            present.add(rule(groupId, port, cidr));
          }
        }
      }
    }
    log.info(
        "ingress on port {}: {} added, {} already present", port, added.size(), present.size());
    return new IngressResult(added, present);
  }

  @Override
  public void checkEgressCidrs(List<String> cidrs) {
    guard.check(cidrs);
  }

  private static String rule(String groupId, int port, String cidr) {
    return groupId + " tcp/" + port + " from " + cidr;
  }

  private Map<String, SecurityGroup> describe(Ec2Client ec2, String region, List<String> ids) {
    try {
      return ec2.describeSecurityGroups(b -> b.groupIds(ids)).securityGroups().stream()
          .collect(Collectors.toMap(SecurityGroup::groupId, g -> g));
    } catch (Ec2Exception e) {
      String code = AwsFailures.code(e);
      if (code.equals("InvalidGroup.NotFound") || code.equals("InvalidGroupId.Malformed")) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.SECURITY_GROUP,
            AwsFailures.message(e)
                + " in "
                + region
                + "; check the instance's VPC security groups (DescribeDBInstances) and the"
                + " region",
            e);
      }
      throw AwsFailures.translate("DescribeSecurityGroups " + ids, e);
    }
  }

  /** TCP on {@code port} from exactly {@code cidr} (or all traffic from it) is already allowed. */
  static boolean allows(SecurityGroup g, int port, String cidr) {
    for (IpPermission p : g.ipPermissions()) {
      boolean all = "-1".equals(p.ipProtocol());
      boolean tcp = "tcp".equalsIgnoreCase(p.ipProtocol()) || "6".equals(p.ipProtocol());
      boolean covers =
          all
              || (tcp
                  && p.fromPort() != null
                  && p.toPort() != null
                  && p.fromPort() <= port
                  && port <= p.toPort());
      if (covers
          && (p.ipRanges().stream().map(IpRange::cidrIp).anyMatch(cidr::equals)
              || p.ipv6Ranges().stream().map(Ipv6Range::cidrIpv6).anyMatch(cidr::equals))) {
        return true;
      }
    }
    return false;
  }

  /** IPv4 ranges go to {@code IpRanges}, IPv6 ranges to {@code Ipv6Ranges} (EC2 API reference). */
  private static void authorize(Ec2Client ec2, String groupId, int port, List<String> cidrs) {
    ec2.authorizeSecurityGroupIngress(
        b ->
            b.groupId(groupId)
                .ipPermissions(
                    IpPermission.builder()
                        .ipProtocol("tcp")
                        .fromPort(port)
                        .toPort(port)
                        .ipRanges(
                            cidrs.stream()
                                .filter(c -> !c.contains(":"))
                                .map(
                                    c ->
                                        IpRange.builder()
                                            .cidrIp(c)
                                            .description(RULE_DESCRIPTION)
                                            .build())
                                .toList())
                        .ipv6Ranges(
                            cidrs.stream()
                                .filter(c -> c.contains(":"))
                                .map(
                                    c ->
                                        Ipv6Range.builder()
                                            .cidrIpv6(c)
                                            .description(RULE_DESCRIPTION)
                                            .build())
                                .toList())
                        .build()));
  }

  static RuntimeException failure(String groupId, Ec2Exception e) {
    String code = AwsFailures.code(e);
    if (code.equals("RulesPerSecurityGroupLimitExceeded")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.SECURITY_GROUP,
          "security group "
              + groupId
              + " has no room for more rules; remove unused rules or raise the quota",
          e);
    }
    if (code.equals("InvalidParameterValue") || code.startsWith("InvalidGroup")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.SECURITY_GROUP,
          "AuthorizeSecurityGroupIngress on " + groupId + " failed: " + AwsFailures.message(e),
          e);
    }
    return AwsFailures.translate("AuthorizeSecurityGroupIngress " + groupId, e);
  }

  // ---- the resource model (issue 13): one IngressRuleResource per security group and CIDR ----

  /** The rules {@code request} wants, refused as {@link #authorizeIngress} refuses them. */
  private List<IngressRule> rules(IngressRequest request) {
    if (request.securityGroupIds() == null || request.securityGroupIds().isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.SECURITY_GROUP,
          "the instance has no VPC security group to open; attach one, or choose networkMode NONE"
              + " and open the path yourself");
    }
    guard.check(request.cidrs());
    List<IngressRule> rules = new ArrayList<>();
    for (String groupId : request.securityGroupIds()) {
      for (String cidr : request.cidrs().stream().distinct().toList()) {
        rules.add(new IngressRule(groupId, request.port(), cidr));
      }
    }
    return rules;
  }

  private IngressRuleResource resource(String region) {
    return new IngressRuleResource(aws.ec2(region), region);
  }

  @Override
  public List<LedgerEntry> convergeIngress(IngressRequest request) {
    IngressRuleResource resource = resource(request.region());
    return rules(request).stream().map(resource::converge).toList();
  }

  @Override
  public List<PlannedChange> planIngress(IngressRequest request) {
    IngressRuleResource resource = resource(request.region());
    return rules(request).stream().map(resource::plan).toList();
  }

  @Override
  public List<Finding> ingressDrift(IngressRequest request) {
    IngressRuleResource resource = resource(request.region());
    return rules(request).stream().flatMap(r -> resource.drift(r).stream()).toList();
  }

  @Override
  public List<Removal> removeIngress(IngressRemoval removal) {
    IngressRuleResource resource = resource(removal.region());
    return removal.entries().stream()
        .filter(e -> e.kind() == ResourceKind.INGRESS_RULE)
        .map(resource::remove)
        .toList();
  }
}
