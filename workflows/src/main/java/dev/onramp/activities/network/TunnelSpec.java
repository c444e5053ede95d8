package dev.onramp.activities.network;

import java.util.List;

/**
 * The Materialize connection onramp makes for a private network path: an {@code SSH TUNNEL} to a
 * bastion ({@code sshHost}, {@code sshPort}, {@code sshUser}) or an {@code AWS PRIVATELINK} to a
 * VPC endpoint service ({@code serviceName}, {@code availabilityZones}, AZ ids such as {@code
 * use1-az1}). {@code region}: where the endpoint service is read (PrivateLink only).
 */
public record TunnelSpec(
    String region,
    String name,
    String sshHost,
    Integer sshPort,
    String sshUser,
    String serviceName,
    List<String> availabilityZones) {

  public TunnelSpec {
    availabilityZones = availabilityZones == null ? List.of() : List.copyOf(availabilityZones);
  }

  public static TunnelSpec ssh(String name, String host, int port, String user) {
    return new TunnelSpec(null, name, host, port, user, null, null);
  }

  public static TunnelSpec privatelink(
      String region, String name, String serviceName, List<String> availabilityZones) {
    return new TunnelSpec(region, name, null, null, null, serviceName, availabilityZones);
  }

  /** An SSH TUNNEL (else AWS PRIVATELINK); not named isSsh, which JSON would take for a field. */
  public boolean overSsh() {
    return sshHost != null;
  }

  /** As Materialize's catalog names the connection type. */
  public String materializeType() {
    return overSsh() ? "ssh-tunnel" : "aws-privatelink";
  }
}
