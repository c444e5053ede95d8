package dev.onramp.workflows;

/** How Materialize reaches the instance. */
public enum NetworkMode {
  /** Allow Materialize's egress CIDRs on the instance's security groups. */
  EGRESS_IPS,
  /** Use an existing Materialize SSH TUNNEL connection; no security group change here. */
  SSH_TUNNEL,
  /** Use an existing Materialize AWS PRIVATELINK connection; no security group change here. */
  PRIVATELINK,
  /**
   * onramp creates a Materialize SSH TUNNEL connection to the bastion of {@code network}, shows its
   * two public keys for the bastion's authorized_keys, waits for a person's confirmation, and
   * validates it; no security group change here.
   */
  SSH_BASTION,
  /**
   * onramp creates a Materialize AWS PRIVATELINK connection to the endpoint service of {@code
   * network}, shows the principal to allow on it, waits for a person's confirmation, and validates
   * it; no security group change here.
   */
  PRIVATELINK_SERVICE,
  /** The network path is managed elsewhere; onramp changes nothing. */
  NONE
}
