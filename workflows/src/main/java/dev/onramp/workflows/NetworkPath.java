package dev.onramp.workflows;

import java.util.List;

/**
 * Where a private network path leads, for the network modes in which onramp makes the Materialize
 * connection: the bastion of {@link NetworkMode#SSH_BASTION} ({@code sshHost}, {@code sshPort},
 * default 22, {@code sshUser}) or the VPC endpoint service of {@link
 * NetworkMode#PRIVATELINK_SERVICE} ({@code privatelinkServiceName}, {@code
 * com.amazonaws.vpce.<region>.vpce-svc-<id>}, and its {@code availabilityZones} as AZ ids such as
 * {@code use1-az1}; empty for a service in another region).
 */
public record NetworkPath(
    String sshHost,
    Integer sshPort,
    String sshUser,
    String privatelinkServiceName,
    List<String> availabilityZones) {

  public NetworkPath {
    availabilityZones = availabilityZones == null ? List.of() : List.copyOf(availabilityZones);
  }

  public static NetworkPath sshBastion(String host, Integer port, String user) {
    return new NetworkPath(host, port, user, null, null);
  }

  public static NetworkPath privatelinkService(String serviceName, List<String> zones) {
    return new NetworkPath(null, null, null, serviceName, zones);
  }

  /** The bastion's SSH port: 22 unless set. */
  public int sshPortOrDefault() {
    return sshPort == null ? 22 : sshPort;
  }
}
