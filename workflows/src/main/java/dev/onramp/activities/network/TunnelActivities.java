package dev.onramp.activities.network;

import io.temporal.activity.ActivityInterface;

/**
 * The private network paths onramp sets up (network modes SSH_BASTION and PRIVATELINK_SERVICE): the
 * Materialize SSH TUNNEL or AWS PRIVATELINK connection, its validation, and the checks that refuse
 * a bastion or endpoint service that cannot exist before anything is created.
 */
@ActivityInterface
public interface TunnelActivities {

  /**
   * Refuses non-retryably, naming what to fix, a bastion host that does not resolve or an endpoint
   * service that does not exist (DescribeVpcEndpointServices). Changes nothing.
   */
  void checkTunnelTarget(TunnelSpec spec);

  /** Creates the connection unless onramp's own of this definition exists; reads its keys. */
  TunnelConnection convergeTunnelConnection(TunnelSpec spec);

  /**
   * {@code VALIDATE CONNECTION}; a failure is a result (with the fix), not an exception, since the
   * workflow waits for a person to fix it and confirm again.
   */
  TunnelCheck validateTunnelConnection(TunnelSpec spec);
}
