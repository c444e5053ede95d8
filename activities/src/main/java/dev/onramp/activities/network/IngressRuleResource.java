package dev.onramp.activities.network;

import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.aws.ManagedResource;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingFailures;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * One security-group ingress rule onramp wants ({@code <sg> tcp/<port> from <cidr>}). A rule is
 * onramp's when it is exactly TCP {@code port}-{@code port} from the CIDR with {@link
 * NetworkActivitiesImpl#RULE_DESCRIPTION} (the mark EC2 lets a rule carry); only such a rule is
 * ever revoked.
 */
public final class IngressRuleResource
    implements ManagedResource<IngressRule, IngressRuleResource.Seen> {
  private static final Logger log = LoggerFactory.getLogger(IngressRuleResource.class);

  /**
   * What the group allows for the wanted rule: {@code covered} when some rule lets the CIDR reach
   * the port (possibly a broader one someone else made), {@code exactOnramps} when onramp's own
   * rule is there as onramp adds it.
   */
  public record Seen(boolean covered, boolean exactOnramps) {}

  private final Ec2Client ec2;
  private final String region;

  public IngressRuleResource(Ec2Client ec2, String region) {
    this.ec2 = ec2;
    this.region = region;
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.INGRESS_RULE;
  }

  @Override
  public Seen inspect(IngressRule rule) {
    return seen(group(rule.groupId()).orElseThrow(() -> groupGone(rule.groupId())), rule);
  }

  static Seen seen(SecurityGroup g, IngressRule rule) {
    return new Seen(
        NetworkActivitiesImpl.allows(g, rule.port(), rule.cidr()), isOnrampsRule(g, rule));
  }

  @Override
  public PlannedChange plan(IngressRule rule) {
    Seen seen = inspect(rule);
    return seen.covered()
        ? new PlannedChange(
            kind(),
            rule.identifier(),
            PlanAction.REUSE,
            "the group already lets " + rule.cidr() + " reach port " + rule.port())
        : new PlannedChange(
            kind(),
            rule.identifier(),
            PlanAction.CREATE,
            "no rule lets " + rule.cidr() + " reach port " + rule.port());
  }

  @Override
  public LedgerEntry converge(IngressRule rule) {
    if (inspect(rule).covered()) {
      return entry(rule, Outcome.REUSED);
    }
    try {
      ec2.authorizeSecurityGroupIngress(
          b -> b.groupId(rule.groupId()).ipPermissions(permission(rule, true)));
      log.info("added ingress rule {}", rule.identifier());
      return entry(rule, Outcome.CREATED);
    } catch (Ec2Exception e) {
      if ("InvalidPermission.Duplicate".equals(AwsFailures.code(e))) {
        // Added by a concurrent run between the describe and this call: present, not ours to
        // claim.
        return entry(rule, Outcome.REUSED);
      }
      throw NetworkActivitiesImpl.failure(rule.groupId(), e);
    }
  }

  private static LedgerEntry entry(IngressRule rule, Outcome outcome) {
    return new LedgerEntry(
        ResourceKind.INGRESS_RULE, rule.identifier(), outcome, null, rule.attributes());
  }

  @Override
  public List<Finding> drift(IngressRule rule) {
    Optional<SecurityGroup> g = group(rule.groupId());
    if (g.isEmpty()) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              rule.identifier(),
              "security group " + rule.groupId() + " no longer exists",
              "attach a security group to the instance that lets "
                  + rule.cidr()
                  + " reach port "
                  + rule.port()
                  + ", then run onramp again"));
    }
    if (seen(g.get(), rule).covered()) {
      return List.of();
    }
    return List.of(
        new Finding(
            Severity.CRITICAL,
            kind(),
            rule.identifier(),
            "the ingress rule is gone: Materialize ("
                + rule.cidr()
                + ") can no longer reach port "
                + rule.port(),
            authorizeCommand(region, rule)));
  }

  /** The AWS CLI command that puts the rule back as onramp adds it. */
  static String authorizeCommand(String region, IngressRule rule) {
    String range =
        rule.ipv6() ? "Ipv6Ranges=[{CidrIpv6=" + rule.cidr() : "IpRanges=[{CidrIp=" + rule.cidr();
    return "aws ec2 authorize-security-group-ingress --region "
        + region
        + " --group-id "
        + rule.groupId()
        + " --ip-permissions 'IpProtocol=tcp,FromPort="
        + rule.port()
        + ",ToPort="
        + rule.port()
        + ","
        + range
        + ",Description=\""
        + NetworkActivitiesImpl.RULE_DESCRIPTION
        + "\"}]'";
  }

  @Override
  public Removal remove(LedgerEntry entry) {
    IngressRule rule = IngressRule.of(entry);
    if (entry.outcome() == Outcome.CHANGED) {
      return Removal.of(entry, RemovalOutcome.KEPT_NOT_OURS, "onramp never changes a rule");
    }
    Optional<SecurityGroup> g = group(rule.groupId());
    if (g.isEmpty()) {
      return Removal.of(
          entry,
          RemovalOutcome.ALREADY_GONE,
          "security group " + rule.groupId() + " no longer exists");
    }
    Seen seen = seen(g.get(), rule);
    if (!seen.exactOnramps()) {
      if (!seen.covered()) {
        return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the rule is no longer there");
      }
      // A REUSED entry whose rule someone else made, or onramp's rule that someone replaced
      // (another description, a port range): either way not onramp's to revoke.
      return Removal.of(
          entry,
          entry.outcome() == Outcome.CREATED
              ? RemovalOutcome.KEPT_CHANGED
              : RemovalOutcome.KEPT_NOT_OURS,
          entry.outcome() == Outcome.CREATED
              ? "the rule was changed since onboarding (it is no longer TCP "
                  + rule.port()
                  + " from "
                  + rule.cidr()
                  + " described \""
                  + NetworkActivitiesImpl.RULE_DESCRIPTION
                  + "\"); left in place"
              : "the rule was there before onramp; left in place");
    }
    // CREATED, or REUSED and still carrying onramp's description (a re-run found what an earlier
    // run added): onramp's.
    try {
      RevokeSecurityGroupIngressResponse r =
          ec2.revokeSecurityGroupIngress(
              b -> b.groupId(rule.groupId()).ipPermissions(permission(rule, false)));
      // In a default VPC, EC2 answers an unknown rule with success and lists it here; elsewhere it
      // fails with InvalidPermission.NotFound (RevokeSecurityGroupIngress API reference).
      if (r.hasUnknownIpPermissions() && !r.unknownIpPermissions().isEmpty()) {
        return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the rule was revoked meanwhile");
      }
      log.info("revoked ingress rule {}", rule.identifier());
      return Removal.of(entry, RemovalOutcome.REMOVED, "revoked");
    } catch (Ec2Exception e) {
      String code = AwsFailures.code(e);
      if (code.equals("InvalidPermission.NotFound")) {
        return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "the rule was revoked meanwhile");
      }
      if (code.equals("InvalidGroup.NotFound")) {
        return Removal.of(
            entry,
            RemovalOutcome.ALREADY_GONE,
            "security group " + rule.groupId() + " no longer exists");
      }
      throw AwsFailures.translate("RevokeSecurityGroupIngress " + rule.groupId(), e);
    }
  }

  /** Exactly the rule onramp adds: TCP port-port from the CIDR, with onramp's description. */
  static boolean isOnrampsRule(SecurityGroup g, IngressRule rule) {
    for (IpPermission p : g.ipPermissions()) {
      boolean tcp = "tcp".equalsIgnoreCase(p.ipProtocol()) || "6".equals(p.ipProtocol());
      if (!tcp
          || p.fromPort() == null
          || p.toPort() == null
          || p.fromPort() != rule.port()
          || p.toPort() != rule.port()) {
        continue;
      }
      boolean ours =
          rule.ipv6()
              ? p.ipv6Ranges().stream()
                  .anyMatch(
                      r ->
                          rule.cidr().equals(r.cidrIpv6())
                              && NetworkActivitiesImpl.RULE_DESCRIPTION.equals(r.description()))
              : p.ipRanges().stream()
                  .anyMatch(
                      r ->
                          rule.cidr().equals(r.cidrIp())
                              && NetworkActivitiesImpl.RULE_DESCRIPTION.equals(r.description()));
      if (ours) {
        return true;
      }
    }
    return false;
  }

  /** IPv4 ranges go to {@code IpRanges}, IPv6 ranges to {@code Ipv6Ranges} (EC2 API reference). */
  static IpPermission permission(IngressRule rule, boolean withDescription) {
    String description = withDescription ? NetworkActivitiesImpl.RULE_DESCRIPTION : null;
    IpPermission.Builder p =
        IpPermission.builder().ipProtocol("tcp").fromPort(rule.port()).toPort(rule.port());
    if (rule.ipv6()) {
      p.ipv6Ranges(Ipv6Range.builder().cidrIpv6(rule.cidr()).description(description).build());
    } else {
      p.ipRanges(IpRange.builder().cidrIp(rule.cidr()).description(description).build());
    }
    return p.build();
  }

  private Optional<SecurityGroup> group(String groupId) {
    try {
      return ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().stream()
          .findFirst();
    } catch (Ec2Exception e) {
      if ("InvalidGroup.NotFound".equals(AwsFailures.code(e))) {
        return Optional.empty();
      }
      throw AwsFailures.translate("DescribeSecurityGroups " + groupId, e);
    }
  }

  private RuntimeException groupGone(String groupId) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.SECURITY_GROUP,
        "The security group '"
            + groupId
            + "' does not exist in "
            + region
            + "; check the instance's VPC security groups (DescribeDBInstances) and the region");
  }
}
