package dev.onramp.workflows;

import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.DbInstanceInfo.ClusterMembership;

/**
 * Preflight's rules for an instance in an Aurora cluster (change id {@value #CHANGE_ID}; before it,
 * every Aurora instance was refused). Aurora PostgreSQL is onboarded through its writer: logical
 * replication runs on the writer only, and replicas cannot be the upstream (Aurora User Guide,
 * "Using PostgreSQL logical replication with Aurora": the publisher is the writer instance). Aurora
 * MySQL is refused, as RDS for MySQL is.
 */
final class AuroraPreflight {
  /** The change that lets Aurora PostgreSQL writers through preflight (docs/versioning.md). */
  static final String CHANGE_ID = "aurora-clusters";

  private AuroraPreflight() {}

  /** Throws, naming the reason and what to do, unless {@code instance} is an Aurora PG writer. */
  static void refuseUnsupported(String id, DbInstanceInfo instance) {
    ClusterMembership cluster = instance.cluster();
    String clusterId = cluster != null ? cluster.dbClusterId() : instance.dbClusterId();
    if (!"aurora-postgresql".equals(instance.engine())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + id
              + " is part of Aurora cluster "
              + clusterId
              + " with engine "
              + instance.engine()
              + "; onramp onboards PostgreSQL only (RDS for PostgreSQL or Aurora PostgreSQL)."
              + " Nothing was changed");
    }
    if (cluster == null) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + id
              + " runs Aurora PostgreSQL but is not a member of any cluster DescribeDBClusters"
              + " shows (cluster "
              + clusterId
              + "); check the instance in the RDS console. Nothing was changed");
    }
    if (!cluster.writer()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + id
              + " is a reader of Aurora cluster "
              + cluster.dbClusterId()
              + "; an Aurora replica cannot be the upstream of logical replication: use the"
              + " writer, "
              + cluster.writerInstanceId()
              + " (onramp start with --db-instance "
              + cluster.writerInstanceId()
              + "). Nothing was changed");
    }
  }
}
