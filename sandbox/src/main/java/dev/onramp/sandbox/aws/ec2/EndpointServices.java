package dev.onramp.sandbox.aws.ec2;

import dev.onramp.sandbox.aws.EmulatorContext;
import dev.onramp.sandbox.aws.http.AwsException;
import dev.onramp.sandbox.materialize.tunnel.PrivateLinkEndpoints;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * VPC endpoint services (PrivateLink): their allowed principals and endpoint connections. A service
 * is created by the emulator's owner (tests, the demo): onramp never creates one. The Materialize
 * stand-in makes its endpoints through {@link #endpoints()}, as Materialize's account does on AWS:
 * the endpoint exists only once its principal is allowed, and then waits in {@code
 * PendingAcceptance} until the owner accepts it when the service requires acceptance.
 */
public final class EndpointServices {
  /** Materialize's AWS account, the owner of its endpoints (Materialize docs, PrivateLink). */
  static final String MATERIALIZE_ACCOUNT = "664411391173";

  private final EmulatorContext ctx;

  public EndpointServices(EmulatorContext ctx) {
    this.ctx = ctx;
  }

  /**
   * A new endpoint service in this account, named {@code com.amazonaws.vpce.<region>.vpce-svc-<17
   * hex>} as AWS names them, available in {@code zones} (AZ ids such as {@code use1-az1}).
   */
  public EndpointService create(boolean acceptanceRequired, List<String> zones) {
    synchronized (ctx.state) {
      EndpointService s = new EndpointService();
      s.serviceId = "vpce-svc-" + EmulatorContext.hex(17);
      s.serviceName = "com.amazonaws.vpce." + ctx.region + "." + s.serviceId;
      s.acceptanceRequired = acceptanceRequired;
      s.availabilityZones.addAll(zones);
      ctx.state.endpointServices.put(s.serviceId, s);
      ctx.save();
      return s;
    }
  }

  /** The services named (all when none is named); an unknown name is an error, as on EC2. */
  public List<EndpointService> describe(List<String> serviceNames) {
    synchronized (ctx.state) {
      List<EndpointService> out = new ArrayList<>();
      if (serviceNames.isEmpty()) {
        out.addAll(ctx.state.endpointServices.values());
        return out;
      }
      for (String name : serviceNames) {
        EndpointService found = byName(name);
        if (found == null) {
          throw AwsException.badRequest(
              "InvalidServiceName", "The Vpc Endpoint Service '" + name + "' does not exist");
        }
        out.add(found);
      }
      return out;
    }
  }

  public EndpointService require(String serviceId) {
    synchronized (ctx.state) {
      if (serviceId == null) {
        throw AwsException.missingParameter("ServiceId");
      }
      EndpointService s = ctx.state.endpointServices.get(serviceId);
      if (s == null) {
        throw AwsException.badRequest(
            "InvalidVpcEndpointServiceId.NotFound",
            "The VpcEndpointService Id '" + serviceId + "' does not exist");
      }
      return s;
    }
  }

  /** ModifyVpcEndpointServicePermissions: add and remove allowed principals. */
  public void modifyPermissions(String serviceId, List<String> add, List<String> remove) {
    synchronized (ctx.state) {
      EndpointService s = require(serviceId);
      for (String principal : add) {
        if (!principal.equals("*") && !principal.startsWith("arn:aws:iam::")) {
          throw AwsException.invalidParameterValue("Invalid principal " + principal);
        }
        if (s.allowedPrincipals.stream().noneMatch(p -> p.principal.equals(principal))) {
          EndpointService.Permission p = new EndpointService.Permission();
          p.principal = principal;
          p.servicePermissionId = "vpce-svc-perm-" + EmulatorContext.hex(17);
          s.allowedPrincipals.add(p);
        }
      }
      s.allowedPrincipals.removeIf(p -> remove.contains(p.principal));
      ctx.save();
    }
  }

  /** AcceptVpcEndpointConnections / RejectVpcEndpointConnections; returns the unknown ids. */
  public List<String> decide(String serviceId, List<String> endpointIds, boolean accept) {
    synchronized (ctx.state) {
      EndpointService s = require(serviceId);
      List<String> unknown = new ArrayList<>();
      for (String id : endpointIds) {
        EndpointService.EndpointConnection conn =
            s.connections.stream().filter(c -> c.vpcEndpointId.equals(id)).findFirst().orElse(null);
        if (conn == null || !conn.vpcEndpointState.equals("PendingAcceptance")) {
          unknown.add(id);
        } else {
          conn.vpcEndpointState = accept ? "Available" : "Rejected";
        }
      }
      ctx.save();
      return unknown;
    }
  }

  /** What the Materialize stand-in sees of its endpoints. */
  public PrivateLinkEndpoints endpoints() {
    return this::endpointStatus;
  }

  private String endpointStatus(String serviceName, String principal, List<String> zones) {
    synchronized (ctx.state) {
      EndpointService s = byName(serviceName);
      if (s == null || !allowed(s, principal)) {
        // An endpoint can only be made to a service that allows the caller; Materialize keeps
        // trying and shows pending-service-discovery meanwhile.
        return "pending-service-discovery";
      }
      EndpointService.EndpointConnection conn =
          s.connections.stream()
              .filter(c -> principal.equals(c.requester))
              .findFirst()
              .orElse(null);
      if (conn == null) {
        conn = new EndpointService.EndpointConnection();
        conn.vpcEndpointId = "vpce-" + EmulatorContext.hex(17);
        conn.vpcEndpointOwner = MATERIALIZE_ACCOUNT;
        conn.vpcEndpointState = s.acceptanceRequired ? "PendingAcceptance" : "Available";
        conn.creationTimestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        conn.requester = principal;
        s.connections.add(conn);
        ctx.save();
      }
      return switch (conn.vpcEndpointState) {
        case "Available" -> "available";
        case "PendingAcceptance" -> "pending-acceptance";
        case "Rejected" -> "rejected";
        default -> conn.vpcEndpointState.toLowerCase();
      };
    }
  }

  /** The principal itself, {@code *}, or its account's root allows it (VPC endpoint services). */
  private static boolean allowed(EndpointService s, String principal) {
    String account = principal.replaceFirst("^arn:aws:iam::(\\d+):.*$", "$1");
    String root = "arn:aws:iam::" + account + ":root";
    return s.allowedPrincipals.stream()
        .anyMatch(
            p ->
                p.principal.equals(principal)
                    || p.principal.equals("*")
                    || p.principal.equals(root));
  }

  private EndpointService byName(String name) {
    return ctx.state.endpointServices.values().stream()
        .filter(s -> s.serviceName.equals(name))
        .findFirst()
        .orElse(null);
  }
}
