package dev.onramp.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a request's {@link NetworkPath} must hold for its network mode, checked before anything is
 * created (whether the bastion resolves and the endpoint service exists is checked at preflight, on
 * the worker).
 */
final class NetworkPathRules {
  /**
   * {@code com.amazonaws.vpce.<region>.vpce-svc-<id>}: the form AWS gives endpoint services of
   * customers (AWS PrivateLink guide, "Endpoint service names"; Materialize docs, CREATE
   * CONNECTION: "always starts with com.amazonaws.").
   */
  static final Pattern SERVICE_NAME =
      Pattern.compile("com\\.amazonaws\\.vpce\\.[a-z]{2}(-[a-z]+)+-\\d\\.vpce-svc-[0-9a-f]{8,17}");

  /** An AZ id such as {@code use1-az1} (Materialize wants ids, not names like us-east-1a). */
  static final Pattern AZ_ID = Pattern.compile("[a-z]{2,5}\\d-az\\d{1,2}");

  /** A DNS name or an IPv4 address, as a bastion's HOST. */
  static final Pattern HOST =
      Pattern.compile(
          "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /** A POSIX user name (what a bastion's login accepts). */
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

  private NetworkPathRules() {}

  static List<String> problems(NetworkMode mode, NetworkPath path) {
    List<String> p = new ArrayList<>();
    if (mode == NetworkMode.SSH_BASTION) {
      if (path == null || path.sshHost() == null || path.sshHost().isBlank()) {
        p.add("network.sshHost: networkMode SSH_BASTION needs the bastion's host name");
      } else if (!HOST.matcher(path.sshHost()).matches()) {
        p.add(
            "network.sshHost: '"
                + SqlIdentifiers.printable(path.sshHost())
                + "' is not a host name or IPv4 address");
      }
      if (path == null || path.sshUser() == null || path.sshUser().isBlank()) {
        p.add(
            "network.sshUser: networkMode SSH_BASTION needs the bastion user whose"
                + " ~/.ssh/authorized_keys will hold Materialize's keys");
      } else if (!USER.matcher(path.sshUser()).matches()) {
        p.add(
            "network.sshUser: '"
                + SqlIdentifiers.printable(path.sshUser())
                + "' is not a user name (lower-case letters, digits, _ . -)");
      }
      if (path != null
          && path.sshPort() != null
          && (path.sshPort() < 1 || path.sshPort() > 65535)) {
        p.add("network.sshPort: " + path.sshPort() + " is not a TCP port (1-65535)");
      }
    }
    if (mode == NetworkMode.PRIVATELINK_SERVICE) {
      if (path == null
          || path.privatelinkServiceName() == null
          || path.privatelinkServiceName().isBlank()) {
        p.add(
            "network.privatelinkServiceName: networkMode PRIVATELINK_SERVICE needs the VPC"
                + " endpoint service name (com.amazonaws.vpce.<region>.vpce-svc-<id>)");
      } else if (!SERVICE_NAME.matcher(path.privatelinkServiceName()).matches()) {
        p.add(
            "network.privatelinkServiceName: '"
                + SqlIdentifiers.printable(path.privatelinkServiceName())
                + "' is not a VPC endpoint service name; it looks like"
                + " com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0 (the endpoint"
                + " service's Service name in the VPC console)");
      }
      if (path != null) {
        for (String zone : path.availabilityZones()) {
          if (zone == null || !AZ_ID.matcher(zone).matches()) {
            p.add(
                "network.availabilityZones: '"
                    + SqlIdentifiers.printable(String.valueOf(zone))
                    + "' is not an availability zone id such as use1-az1 (ids, not names like"
                    + " us-east-1a: aws ec2 describe-availability-zones shows both)");
          }
        }
      }
    }
    if (path != null
        && mode != NetworkMode.SSH_BASTION
        && mode != NetworkMode.PRIVATELINK_SERVICE) {
      p.add(
          "network: is only used with networkMode SSH_BASTION or PRIVATELINK_SERVICE (networkMode"
              + " is "
              + (mode == null ? "EGRESS_IPS" : mode)
              + ")");
    }
    return p;
  }
}
