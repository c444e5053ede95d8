package dev.onramp.activities.ledger;

/**
 * The objects onramp manages, in the order an onboarding converges them (offboarding walks it
 * backwards). Each kind's {@link LedgerEntry#identifier()} format is given here, so that the
 * resource that wrote an entry can find its object again from the entry alone.
 */
public enum ResourceKind {
  /** {@code <group-name>}; previous: the group it was copied from, if any. */
  PARAMETER_GROUP,
  /** {@code <db-instance-id>}; previous: the group the instance used before. */
  PARAMETER_GROUP_ASSOCIATION,
  /** {@code <sg-id> tcp/<port> from <cidr>}; attributes: securityGroupId, port, cidr. */
  INGRESS_RULE,
  /** {@code <secret-name>} in Secrets Manager; attributes: arn. */
  REPLICATION_SECRET,
  /** {@code <schema>.<table>} (quoted where needed); previous: d, n, f or i:<index>. */
  REPLICA_IDENTITY,
  /** {@code <publication>} (a value, unquoted); attributes: database. */
  PUBLICATION,
  /** {@code <role>} (a value); attributes: database. */
  REPLICATION_ROLE,
  /** {@code <role> on <database>}; previous: the privileges the role held before. */
  GRANTS,
  /** {@code <cluster>} in Materialize; attributes: size. */
  MZ_CLUSTER,
  /** {@code <secret>} in Materialize. */
  MZ_SECRET,
  /** {@code <connection>} in Materialize. */
  MZ_CONNECTION,
  /** {@code <source>} in Materialize; attributes: replicationSlot, relations. */
  MZ_SOURCE,
  /** {@code <schedule-id>} in Temporal. */
  REVERIFICATION_SCHEDULE
}
