package dev.onramp.sandbox.aws.http;

import dev.onramp.sandbox.aws.ec2.Ec2Service;
import dev.onramp.sandbox.aws.ec2.EndpointService;
import dev.onramp.sandbox.aws.ec2.EndpointServices;
import dev.onramp.sandbox.aws.ec2.SecurityGroup;
import dev.onramp.sandbox.aws.ec2.SecurityGroupRule;
import dev.onramp.sandbox.aws.iam.AccessDeniedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The EC2 Query protocol ({@code Version=2016-11-15}): flattened input lists ({@code GroupId.1},
 * {@code IpPermissions.1.IpRanges.1.CidrIp}), responses without a Result wrapper, lower-case
 * element names, list items named {@code item}, and {@code <requestId>} in the body.
 */
public final class Ec2QueryHandler {
  public static final String VERSION = "2016-11-15";
  static final String XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  private final Ec2Service ec2;
  private final EndpointServices endpointServices;
  private final Map<String, Function<QueryParams, String>> operations = new LinkedHashMap<>();

  public Ec2QueryHandler(Ec2Service ec2, EndpointServices endpointServices) {
    this.ec2 = ec2;
    this.endpointServices = endpointServices;
    operations.put("DescribeVpcEndpointServices", this::describeEndpointServices);
    operations.put("DescribeVpcEndpointServicePermissions", this::describePermissions);
    operations.put("DescribeVpcEndpointConnections", this::describeEndpointConnections);
    operations.put("ModifyVpcEndpointServicePermissions", this::modifyPermissions);
    operations.put("AcceptVpcEndpointConnections", q -> decide(q, true));
    operations.put("RejectVpcEndpointConnections", q -> decide(q, false));
    operations.put("DescribeSecurityGroups", this::describeSecurityGroups);
    operations.put("AuthorizeSecurityGroupIngress", this::authorizeIngress);
    operations.put("RevokeSecurityGroupIngress", this::revokeIngress);
  }

  public boolean knows(String action) {
    return operations.containsKey(action);
  }

  public String handle(String action, QueryParams q, String requestId) {
    String body = operations.get(action).apply(q);
    return "<"
        + action
        + "Response xmlns=\""
        + XMLNS
        + "\"><requestId>"
        + requestId
        + "</requestId>"
        + body
        + "</"
        + action
        + "Response>";
  }

  /**
   * EC2 refuses a call IAM does not allow with {@code UnauthorizedOperation}, HTTP 403, and appends
   * an encoded authorization message (decodable with sts:DecodeAuthorizationMessage on AWS; here
   * the same text in Base64).
   */
  public static AwsException accessDenied(AccessDeniedException denied) {
    String encoded =
        java.util.Base64.getEncoder()
            .encodeToString(denied.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new AwsException(
        "UnauthorizedOperation",
        403,
        "You are not authorized to perform this operation. "
            + denied.getMessage()
            + ". Encoded authorization failure message: "
            + encoded);
  }

  /** EC2's error document: {@code Response/Errors/Error/{Code,Message}}, {@code RequestID}. */
  public static String error(AwsException e, String requestId) {
    return new Xml()
        .open("Response")
        .open("Errors")
        .open("Error")
        .el("Code", e.code())
        .el("Message", e.getMessage())
        .close("Error")
        .close("Errors")
        .el("RequestID", requestId)
        .close("Response")
        .toString();
  }

  private String describeSecurityGroups(QueryParams q) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (QueryParams f : q.structs("Filter")) {
      filters.put(f.required("Name"), f.list("Value"));
    }
    List<SecurityGroup> groups = ec2.describe(q.list("GroupId"), q.list("GroupName"), filters);
    Xml x = new Xml().open("securityGroupInfo");
    for (SecurityGroup g : groups) {
      x.open("item")
          .el("ownerId", g.ownerId)
          .el("groupId", g.groupId)
          .el("groupName", g.groupName)
          .el("groupDescription", g.description)
          .el("vpcId", g.vpcId);
      permissions(x, "ipPermissions", g.ingress);
      permissions(x, "ipPermissionsEgress", g.egress);
      x.open("tagSet").close("tagSet").close("item");
    }
    return x.close("securityGroupInfo").toString();
  }

  /** Rules grouped back into IpPermissions (same protocol and ports), as EC2 reports them. */
  private static void permissions(Xml x, String element, List<SecurityGroupRule> rules) {
    Map<String, List<SecurityGroupRule>> byPerm = new LinkedHashMap<>();
    for (SecurityGroupRule r : rules) {
      byPerm
          .computeIfAbsent(
              r.ipProtocol() + "/" + r.fromPort() + "/" + r.toPort(), k -> new ArrayList<>())
          .add(r);
    }
    x.open(element);
    for (List<SecurityGroupRule> perm : byPerm.values()) {
      SecurityGroupRule first = perm.get(0);
      x.open("item")
          .el("ipProtocol", first.ipProtocol())
          .el("fromPort", first.fromPort())
          .el("toPort", first.toPort())
          .open("groups");
      for (SecurityGroupRule r : perm) {
        if (r.referencedGroupId() != null) {
          x.open("item")
              .el("groupId", r.referencedGroupId())
              .el("description", r.description())
              .close("item");
        }
      }
      x.close("groups").open("ipRanges");
      for (SecurityGroupRule r : perm) {
        if (r.cidrIpv4() != null) {
          x.open("item")
              .el("cidrIp", r.cidrIpv4())
              .el("description", r.description())
              .close("item");
        }
      }
      x.close("ipRanges").open("ipv6Ranges");
      for (SecurityGroupRule r : perm) {
        if (r.cidrIpv6() != null) {
          x.open("item")
              .el("cidrIpv6", r.cidrIpv6())
              .el("description", r.description())
              .close("item");
        }
      }
      x.close("ipv6Ranges").open("prefixListIds").close("prefixListIds").close("item");
    }
    x.close(element);
  }

  /** The rules of {@code IpPermissions.N} (or the legacy top-level CidrIp/IpProtocol form). */
  private static List<SecurityGroupRule> rules(QueryParams q) {
    List<SecurityGroupRule> out = new ArrayList<>();
    for (QueryParams p : q.structs("IpPermissions")) {
      String protocol = protocol(p.getOrNull("IpProtocol"));
      Integer from = p.integer("FromPort").orElse(null);
      Integer to = p.integer("ToPort").orElse(null);
      checkPorts(protocol, from, to);
      for (QueryParams r : p.structs("IpRanges")) {
        out.add(
            rule(
                protocol,
                from,
                to,
                cidr(r.required("CidrIp"), false),
                null,
                null,
                r.getOrNull("Description")));
      }
      for (QueryParams r : p.structs("Ipv6Ranges")) {
        out.add(
            rule(
                protocol,
                from,
                to,
                null,
                cidr(r.required("CidrIpv6"), true),
                null,
                r.getOrNull("Description")));
      }
      for (QueryParams r : p.structs("Groups")) {
        out.add(
            rule(
                protocol, from, to, null, null, r.required("GroupId"), r.getOrNull("Description")));
      }
    }
    if (q.get("CidrIp").isPresent()) {
      String protocol = protocol(q.getOrNull("IpProtocol"));
      Integer from = q.integer("FromPort").orElse(null);
      Integer to = q.integer("ToPort").orElse(null);
      checkPorts(protocol, from, to);
      out.add(rule(protocol, from, to, cidr(q.getOrNull("CidrIp"), false), null, null, null));
    }
    return out;
  }

  private static SecurityGroupRule rule(
      String protocol, Integer from, Integer to, String v4, String v6, String group, String desc) {
    boolean all = protocol.equals("-1");
    return new SecurityGroupRule(
        null, protocol, all ? null : from, all ? null : to, v4, v6, group, desc);
  }

  private static String protocol(String p) {
    if (p == null || p.isEmpty()) {
      throw AwsException.missingParameter("IpProtocol");
    }
    String lower = p.toLowerCase();
    return switch (lower) {
      case "tcp", "6" -> "tcp";
      case "udp", "17" -> "udp";
      case "icmp", "1" -> "icmp";
      case "-1", "all" -> "-1";
      default ->
          throw AwsException.invalidParameterValue(
              "Invalid value '" + p + "' for IP protocol. Unknown protocol.");
    };
  }

  private static void checkPorts(String protocol, Integer from, Integer to) {
    if (protocol.equals("tcp") || protocol.equals("udp")) {
      if (from == null || to == null) {
        throw AwsException.invalidParameterValue(
            "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
      }
      if (from < 0 || to > 65535 || from > to) {
        throw AwsException.invalidParameterValue(
            "Invalid value '" + from + "-" + to + "' for portRange. Must be in 0-65535.");
      }
    }
  }

  private static String cidr(String c, boolean v6) {
    String pattern =
        v6
            ? "[0-9a-fA-F:]+/(\\d|[1-9]\\d|1[01]\\d|12[0-8])"
            : "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(\\d|[12]\\d|3[0-2])";
    if (c == null || !c.matches(pattern)) {
      throw AwsException.invalidParameterValue("CIDR block " + c + " is malformed");
    }
    return c;
  }

  private String authorizeIngress(QueryParams q) {
    List<SecurityGroupRule> added =
        ec2.authorizeIngress(q.getOrNull("GroupId"), q.getOrNull("GroupName"), rules(q));
    Xml x = new Xml().el("return", true).open("securityGroupRuleSet");
    for (SecurityGroupRule r : added) {
      x.open("item")
          .el("securityGroupRuleId", r.ruleId())
          .el("groupId", q.getOrNull("GroupId"))
          .el("groupOwnerId", null)
          .el("isEgress", false)
          .el("ipProtocol", r.ipProtocol())
          .el("fromPort", r.fromPort() == null ? -1 : r.fromPort())
          .el("toPort", r.toPort() == null ? -1 : r.toPort())
          .el("cidrIpv4", r.cidrIpv4())
          .el("cidrIpv6", r.cidrIpv6());
      if (r.referencedGroupId() != null) {
        x.open("referencedGroupInfo")
            .el("groupId", r.referencedGroupId())
            .close("referencedGroupInfo");
      }
      x.el("description", r.description()).close("item");
    }
    return x.close("securityGroupRuleSet").toString();
  }

  private String revokeIngress(QueryParams q) {
    ec2.revokeIngress(
        q.getOrNull("GroupId"), q.getOrNull("GroupName"), rules(q), q.list("SecurityGroupRuleId"));
    return new Xml().el("return", true).toString();
  }

  // ---- VPC endpoint services (PrivateLink) ----

  private Map<String, List<String>> filters(QueryParams q) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (QueryParams f : q.structs("Filter")) {
      filters.put(f.required("Name"), f.list("Value"));
    }
    return filters;
  }

  private String describeEndpointServices(QueryParams q) {
    List<String> names = new ArrayList<>(q.list("ServiceName"));
    names.addAll(filters(q).getOrDefault("service-name", List.of()));
    List<EndpointService> services = endpointServices.describe(names);
    Xml x = new Xml().open("serviceNameSet");
    for (EndpointService s : services) {
      x.el("item", s.serviceName);
    }
    x.close("serviceNameSet").open("serviceDetailSet");
    for (EndpointService s : services) {
      x.open("item")
          .el("serviceName", s.serviceName)
          .el("serviceId", s.serviceId)
          .open("serviceType")
          .open("item")
          .el("serviceType", "Interface")
          .close("item")
          .close("serviceType")
          .open("availabilityZoneIdSet");
      for (String z : s.availabilityZones) {
        x.el("item", z);
      }
      x.close("availabilityZoneIdSet")
          .el("owner", ec2Owner())
          .el("acceptanceRequired", s.acceptanceRequired)
          .el("managesVpcEndpoints", false)
          .el("vpcEndpointPolicySupported", false)
          .close("item");
    }
    return x.close("serviceDetailSet").toString();
  }

  private String ec2Owner() {
    return ec2.ownerId();
  }

  private String describePermissions(QueryParams q) {
    EndpointService s = endpointServices.require(q.getOrNull("ServiceId"));
    Xml x = new Xml().open("allowedPrincipals");
    for (EndpointService.Permission p : s.allowedPrincipals) {
      x.open("item")
          .el("principalType", principalType(p.principal))
          .el("principal", p.principal)
          .el("servicePermissionId", p.servicePermissionId)
          .el("serviceId", s.serviceId)
          .close("item");
    }
    return x.close("allowedPrincipals").toString();
  }

  private static String principalType(String principal) {
    if (principal.equals("*")) {
      return "All";
    }
    if (principal.endsWith(":root")) {
      return "Account";
    }
    return principal.contains(":role/") ? "Role" : "User";
  }

  private String describeEndpointConnections(QueryParams q) {
    Map<String, List<String>> filters = filters(q);
    List<String> ids = filters.getOrDefault("service-id", List.of());
    List<String> states = filters.getOrDefault("vpc-endpoint-state", List.of());
    Xml x = new Xml().open("vpcEndpointConnectionSet");
    for (EndpointService s : endpointServices.describe(List.of())) {
      if (!ids.isEmpty() && !ids.contains(s.serviceId)) {
        continue;
      }
      for (EndpointService.EndpointConnection c : s.connections) {
        if (!states.isEmpty()
            && states.stream().noneMatch(st -> st.equalsIgnoreCase(c.vpcEndpointState))) {
          continue;
        }
        x.open("item")
            .el("serviceId", s.serviceId)
            .el("vpcEndpointId", c.vpcEndpointId)
            .el("vpcEndpointOwner", c.vpcEndpointOwner)
            .el("vpcEndpointState", c.vpcEndpointState)
            .el("creationTimestamp", c.creationTimestamp)
            .close("item");
      }
    }
    return x.close("vpcEndpointConnectionSet").toString();
  }

  private String modifyPermissions(QueryParams q) {
    endpointServices.modifyPermissions(
        q.getOrNull("ServiceId"),
        q.list("AddAllowedPrincipals"),
        q.list("RemoveAllowedPrincipals"));
    return new Xml().el("return", true).toString();
  }

  private String decide(QueryParams q, boolean accept) {
    List<String> unknown =
        endpointServices.decide(q.getOrNull("ServiceId"), q.list("VpcEndpointId"), accept);
    Xml x = new Xml().open("unsuccessful");
    for (String id : unknown) {
      x.open("item")
          .open("error")
          .el("code", "InvalidVpcEndpointId.NotFound")
          .el("message", "The Vpc Endpoint Id '" + id + "' does not exist or is not pending")
          .close("error")
          .el("resourceId", id)
          .close("item");
    }
    return x.close("unsuccessful").toString();
  }
}
