package dev.onramp.sandbox.materialize.tunnel;

import java.util.List;

/**
 * Where the Materialize stand-in asks about the VPC endpoint that Materialize's own AWS account
 * makes to an endpoint service for an AWS PRIVATELINK connection. In Materialize the endpoint is
 * created when the connection is, and it only comes up once the service's owner allows the
 * connection's principal and, if the service requires acceptance, accepts the endpoint (Materialize
 * docs, "AWS PrivateLink connections"). The AWS emulator answers in tests.
 */
public interface PrivateLinkEndpoints {

  /**
   * The status of the connection's endpoint, in Materialize's words ({@code
   * mz_internal.mz_aws_privatelink_connection_status_history.status}): {@code available}, {@code
   * pending-service-discovery} (no such service, or the principal is not allowed to see it), {@code
   * pending-acceptance} or {@code rejected}.
   */
  String endpointStatus(String serviceName, String principal, List<String> availabilityZones);

  /** No AWS behind the stand-in: no endpoint service is ever found. */
  PrivateLinkEndpoints NONE = (service, principal, zones) -> "pending-service-discovery";
}
