package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.rds.DbInstanceInfo.ClusterMembership;
import dev.onramp.workflows.OnboardingFailures;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * DescribeDBClusters as onboarding reads it: an Aurora member's cluster (its writer, its DB cluster
 * parameter group and that group's status on the member), or which clusters use a cluster group.
 */
final class DbClusters {
  private final RdsClient rds;
  private final String region;

  DbClusters(RdsClient rds, String region) {
    this.rds = rds;
    this.region = region;
  }

  DBCluster describe(String clusterId) {
    try {
      return rds.describeDBClusters(b -> b.dbClusterIdentifier(clusterId)).dbClusters().get(0);
    } catch (DbClusterNotFoundException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_NOT_FOUND,
          "DB cluster " + clusterId + " not found in " + region + "; check the region",
          e);
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBClusters " + clusterId, e);
    }
  }

  /**
   * The instance (described without its cluster) with its place in the cluster; an Aurora member
   * has no MasterUserSecret of its own, so the cluster's is the one.
   */
  DbInstanceInfo withMembership(DbInstanceInfo i) {
    DBCluster c = describe(i.dbClusterId());
    DBClusterMember self =
        c.dbClusterMembers().stream()
            .filter(m -> i.dbInstanceId().equals(m.dbInstanceIdentifier()))
            .findFirst()
            .orElse(null);
    String writer =
        c.dbClusterMembers().stream()
            .filter(m -> Boolean.TRUE.equals(m.isClusterWriter()))
            .map(DBClusterMember::dbInstanceIdentifier)
            .findFirst()
            .orElse(null);
    ClusterMembership membership =
        new ClusterMembership(
            c.dbClusterIdentifier(),
            c.engine(),
            c.status(),
            self != null && Boolean.TRUE.equals(self.isClusterWriter()),
            writer,
            c.dbClusterParameterGroup(),
            self == null ? null : self.dbClusterParameterGroupStatus());
    String secret =
        i.masterUserSecretArn() != null || c.masterUserSecret() == null
            ? i.masterUserSecretArn()
            : c.masterUserSecret().secretArn();
    return new DbInstanceInfo(
        i.dbInstanceId(),
        i.engine(),
        i.engineVersion(),
        i.status(),
        i.endpointAddress(),
        i.endpointPort(),
        i.dbName() != null ? i.dbName() : c.databaseName(),
        i.masterUsername() != null ? i.masterUsername() : c.masterUsername(),
        secret,
        i.parameterGroups(),
        i.securityGroupIds(),
        i.publiclyAccessible(),
        i.preferredMaintenanceWindow(),
        i.dbClusterId(),
        i.pendingModifications(),
        i.allocatedStorageGib(),
        membership);
  }

  /** The clusters (other than {@code except}) whose DB cluster parameter group is {@code group}. */
  List<String> using(String group, String except) {
    try {
      return rds.describeDBClustersPaginator(b -> b.maxRecords(100)).dbClusters().stream()
          .filter(c -> !c.dbClusterIdentifier().equals(except))
          .filter(c -> group.equals(c.dbClusterParameterGroup()))
          .map(DBCluster::dbClusterIdentifier)
          .toList();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBClusters", e);
    }
  }
}
