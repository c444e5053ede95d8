package dev.onramp.sandbox.aws.ec2;

import java.util.ArrayList;
import java.util.List;

/**
 * A VPC endpoint service (PrivateLink) in front of a Network Load Balancer, with the principals
 * allowed to make endpoints to it and the endpoint connections made so far.
 */
public final class EndpointService {
  public String serviceId;
  public String serviceName;
  public boolean acceptanceRequired;
  public List<String> availabilityZones = new ArrayList<>();
  public List<Permission> allowedPrincipals = new ArrayList<>();
  public List<EndpointConnection> connections = new ArrayList<>();

  public EndpointService() {}

  /** One allowed principal ({@code AllowedPrincipal}). */
  public static final class Permission {
    public String principal;
    public String servicePermissionId;

    public Permission() {}
  }

  /**
   * An endpoint of another account connected to this service; {@code requester} is the principal
   * that made it (AWS does not report it; the emulator needs it to find the endpoint again).
   */
  public static final class EndpointConnection {
    public String vpcEndpointId;
    public String vpcEndpointOwner;
    public String vpcEndpointState;
    public String creationTimestamp;
    public String requester;

    public EndpointConnection() {}
  }
}
