package dev.onramp.workflows;

/** How Materialize reaches the instance. */
public enum NetworkMode {
  /** Allow Materialize's egress CIDRs on the instance's security groups. */
  EGRESS_IPS,
  /** Use an existing Materialize SSH TUNNEL connection; no security group change here. */
  SSH_TUNNEL,
  /** Use an existing Materialize AWS PRIVATELINK connection; no security group change here. */
  PRIVATELINK,
  /** The network path is managed elsewhere; onramp changes nothing. */
  NONE
}
