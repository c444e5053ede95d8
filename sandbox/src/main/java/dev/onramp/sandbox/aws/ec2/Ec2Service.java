package dev.onramp.sandbox.aws.ec2;

import dev.onramp.sandbox.aws.EmulatorContext;
import dev.onramp.sandbox.aws.http.AwsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** EC2 security groups and their rules. */
public final class Ec2Service {
  private final EmulatorContext ctx;

  public Ec2Service(EmulatorContext ctx) {
    this.ctx = ctx;
  }

  /** The account that owns every emulated resource. */
  public String ownerId() {
    return ctx.accountId;
  }

  /** The VPC every emulated resource lives in. */
  public String vpcId() {
    synchronized (ctx.state) {
      if (ctx.state.vpcId == null) {
        ctx.state.vpcId = "vpc-" + EmulatorContext.hex(17);
        ctx.save();
      }
      return ctx.state.vpcId;
    }
  }

  /** Creates a group (used when instances are configured); allows all egress, as EC2 does. */
  public SecurityGroup create(String name, String description) {
    String vpc = vpcId();
    synchronized (ctx.state) {
      for (SecurityGroup g : ctx.state.securityGroups.values()) {
        if (g.groupName.equals(name)) {
          return g;
        }
      }
      SecurityGroup g = new SecurityGroup();
      g.groupId = "sg-" + EmulatorContext.hex(17);
      g.groupName = name;
      g.description = description;
      g.vpcId = vpc;
      g.ownerId = ctx.accountId;
      g.egress.add(
          new SecurityGroupRule(
              "sgr-" + EmulatorContext.hex(17), "-1", null, null, "0.0.0.0/0", null, null, null));
      ctx.state.securityGroups.put(g.groupId, g);
      ctx.save();
      return g;
    }
  }

  public SecurityGroup require(String groupId) {
    if (!groupId.matches("sg-[0-9a-f]{8,17}")) {
      throw AwsException.badRequest(
          "InvalidGroupId.Malformed", "Invalid id: \"" + groupId + "\" (expecting \"sg-...\")");
    }
    SecurityGroup g = ctx.state.securityGroups.get(groupId);
    if (g == null) {
      throw AwsException.badRequest(
          "InvalidGroup.NotFound", "The security group '" + groupId + "' does not exist");
    }
    return g;
  }

  SecurityGroup requireByName(String name) {
    for (SecurityGroup g : ctx.state.securityGroups.values()) {
      if (g.groupName.equals(name)) {
        return g;
      }
    }
    throw AwsException.badRequest(
        "InvalidGroup.NotFound",
        "The security group '" + name + "' does not exist in default VPC '" + vpcId() + "'");
  }

  /** DescribeSecurityGroups: by ids, names and filters (group-id, group-name, vpc-id). */
  public List<SecurityGroup> describe(
      List<String> ids, List<String> names, Map<String, List<String>> filters) {
    synchronized (ctx.state) {
      List<SecurityGroup> out = new ArrayList<>();
      for (String id : ids) {
        out.add(require(id));
      }
      for (String n : names) {
        SecurityGroup g = requireByName(n);
        if (!out.contains(g)) {
          out.add(g);
        }
      }
      if (ids.isEmpty() && names.isEmpty()) {
        out.addAll(ctx.state.securityGroups.values());
      }
      out.removeIf(g -> !matches(g, filters));
      return out;
    }
  }

  private static boolean matches(SecurityGroup g, Map<String, List<String>> filters) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      String v =
          switch (f.getKey()) {
            case "group-id" -> g.groupId;
            case "group-name" -> g.groupName;
            case "vpc-id" -> g.vpcId;
            case "owner-id" -> g.ownerId;
            case "description" -> g.description;
            default ->
                throw AwsException.badRequest(
                    "InvalidParameterValue", "The filter '" + f.getKey() + "' is invalid");
          };
      if (!f.getValue().contains(v)) {
        return false;
      }
    }
    return true;
  }

  /** The group addressed by GroupId, else GroupName. */
  public SecurityGroup target(String groupId, String groupName) {
    if (groupId != null) {
      return require(groupId);
    }
    if (groupName != null) {
      return requireByName(groupName);
    }
    throw AwsException.missingParameter("GroupId");
  }

  /**
   * AuthorizeSecurityGroupIngress: all rules or none. A rule that exists already fails the whole
   * call with {@code InvalidPermission.Duplicate}, in EC2's words.
   */
  public List<SecurityGroupRule> authorizeIngress(
      String groupId, String groupName, List<SecurityGroupRule> rules) {
    synchronized (ctx.state) {
      SecurityGroup g = target(groupId, groupName);
      if (rules.isEmpty()) {
        throw AwsException.missingParameter("IpPermissions");
      }
      List<SecurityGroupRule> added = new ArrayList<>();
      for (SecurityGroupRule r : rules) {
        if (r.referencedGroupId() != null) {
          require(r.referencedGroupId());
        }
        for (SecurityGroupRule e : g.ingress) {
          if (e.sameRuleAs(r)) {
            throw AwsException.badRequest(
                "InvalidPermission.Duplicate",
                "the specified rule " + describe(r) + " already exists");
          }
        }
        for (SecurityGroupRule e : added) {
          if (e.sameRuleAs(r)) {
            throw AwsException.badRequest(
                "InvalidPermission.Duplicate",
                "the specified rule " + describe(r) + " already exists");
          }
        }
        added.add(
            new SecurityGroupRule(
                "sgr-" + EmulatorContext.hex(17),
                r.ipProtocol(),
                r.fromPort(),
                r.toPort(),
                r.cidrIpv4(),
                r.cidrIpv6(),
                r.referencedGroupId(),
                r.description()));
      }
      g.ingress.addAll(added);
      ctx.save();
      return added;
    }
  }

  /**
   * RevokeSecurityGroupIngress by rule ids or by rules. Unknown ones fail the call with {@code
   * InvalidPermission.NotFound}.
   */
  public void revokeIngress(
      String groupId, String groupName, List<SecurityGroupRule> rules, List<String> ruleIds) {
    synchronized (ctx.state) {
      SecurityGroup g = target(groupId, groupName);
      if (rules.isEmpty() && ruleIds.isEmpty()) {
        throw AwsException.missingParameter("IpPermissions");
      }
      List<SecurityGroupRule> remove = new ArrayList<>();
      for (String id : ruleIds) {
        SecurityGroupRule found =
            g.ingress.stream().filter(r -> r.ruleId().equals(id)).findFirst().orElse(null);
        if (found == null) {
          throw AwsException.badRequest(
              "InvalidSecurityGroupRuleId.NotFound",
              "The security group rule ID '" + id + "' does not exist");
        }
        remove.add(found);
      }
      for (SecurityGroupRule r : rules) {
        SecurityGroupRule found =
            g.ingress.stream().filter(e -> e.sameRuleAs(r)).findFirst().orElse(null);
        if (found == null) {
          throw AwsException.badRequest(
              "InvalidPermission.NotFound",
              "The specified rule does not exist in this security group.");
        }
        remove.add(found);
      }
      g.ingress.removeAll(remove);
      ctx.save();
    }
  }

  /**
   * EC2's wording, e.g. {@code "peer: 10.0.0.0/16, TCP, from port: 5432, to port: 5432, ALLOW"}.
   */
  static String describe(SecurityGroupRule r) {
    String peer =
        r.cidrIpv4() != null
            ? r.cidrIpv4()
            : r.cidrIpv6() != null ? r.cidrIpv6() : r.referencedGroupId();
    String proto = "-1".equals(r.ipProtocol()) ? "ALL" : r.ipProtocol().toUpperCase();
    StringBuilder sb = new StringBuilder("\"peer: ").append(peer).append(", ").append(proto);
    if (r.fromPort() != null) {
      sb.append(", from port: ").append(r.fromPort());
    }
    if (r.toPort() != null) {
      sb.append(", to port: ").append(r.toPort());
    }
    return sb.append(", ALLOW\"").toString();
  }
}
