package dev.onramp.activities.rds;

import java.util.List;

/**
 * The DescribeDBInstances fields onboarding needs. {@code pendingModifications} lists
 * PendingModifiedValues as {@code Field=value} (e.g. {@code DBInstanceClass=db.r6g.large}): what a
 * ModifyDBInstance with ApplyImmediately=true would apply along with onramp's change. Null in
 * histories recorded before it existed. {@code allocatedStorageGib} is AllocatedStorage (GiB): what
 * WAL a replication slot retains is weighed against it; null in histories recorded before it.
 * {@code cluster} is the Aurora cluster the instance belongs to, as DescribeDBClusters shows it
 * (null for an RDS instance, and in histories from before Aurora support).
 */
public record DbInstanceInfo(
    String dbInstanceId,
    String engine,
    String engineVersion,
    String status,
    String endpointAddress,
    int endpointPort,
    String dbName,
    String masterUsername,
    String masterUserSecretArn,
    List<ParameterGroupStatus> parameterGroups,
    List<String> securityGroupIds,
    boolean publiclyAccessible,
    String preferredMaintenanceWindow,
    String dbClusterId,
    List<String> pendingModifications,
    Integer allocatedStorageGib,
    ClusterMembership cluster) {

  /** As described before AllocatedStorage was read. */
  public DbInstanceInfo(
      String dbInstanceId,
      String engine,
      String engineVersion,
      String status,
      String endpointAddress,
      int endpointPort,
      String dbName,
      String masterUsername,
      String masterUserSecretArn,
      List<ParameterGroupStatus> parameterGroups,
      List<String> securityGroupIds,
      boolean publiclyAccessible,
      String preferredMaintenanceWindow,
      String dbClusterId,
      List<String> pendingModifications) {
    this(
        dbInstanceId,
        engine,
        engineVersion,
        status,
        endpointAddress,
        endpointPort,
        dbName,
        masterUsername,
        masterUserSecretArn,
        parameterGroups,
        securityGroupIds,
        publiclyAccessible,
        preferredMaintenanceWindow,
        dbClusterId,
        pendingModifications,
        null,
        null);
  }

  /** As described before Aurora clusters were read (an RDS instance). */
  public DbInstanceInfo(
      String dbInstanceId,
      String engine,
      String engineVersion,
      String status,
      String endpointAddress,
      int endpointPort,
      String dbName,
      String masterUsername,
      String masterUserSecretArn,
      List<ParameterGroupStatus> parameterGroups,
      List<String> securityGroupIds,
      boolean publiclyAccessible,
      String preferredMaintenanceWindow,
      String dbClusterId,
      List<String> pendingModifications,
      Integer allocatedStorageGib) {
    this(
        dbInstanceId,
        engine,
        engineVersion,
        status,
        endpointAddress,
        endpointPort,
        dbName,
        masterUsername,
        masterUserSecretArn,
        parameterGroups,
        securityGroupIds,
        publiclyAccessible,
        preferredMaintenanceWindow,
        dbClusterId,
        pendingModifications,
        allocatedStorageGib,
        null);
  }

  public record ParameterGroupStatus(String name, String applyStatus) {}

  /**
   * The instance's place in its Aurora cluster: the cluster's engine and status, whether this
   * instance is the writer (and which one is), and the DB <em>cluster</em> parameter group with its
   * status on this member ({@code DBClusterMembers[].DBClusterParameterGroupStatus}). On Aurora,
   * {@code rds.logical_replication} lives in that group, not in the instance's DB parameter group.
   */
  public record ClusterMembership(
      String dbClusterId,
      String engine,
      String status,
      boolean writer,
      String writerInstanceId,
      String parameterGroup,
      String parameterApplyStatus) {}

  /** Whether the instance is a member of an Aurora cluster (as described). */
  public boolean inCluster() {
    return cluster != null;
  }

  /** The pending modifications, never null. */
  public List<String> pending() {
    return pendingModifications == null ? List.of() : pendingModifications;
  }

  /**
   * The group that holds {@code rds.logical_replication}: the DB cluster parameter group for an
   * Aurora member, else the (first) DB parameter group, as RDS lists it.
   */
  public String parameterGroup() {
    if (cluster != null) {
      return cluster.parameterGroup();
    }
    return parameterGroups.isEmpty() ? null : parameterGroups.get(0).name();
  }

  /** That group's apply status on this instance ({@code in-sync}, {@code pending-reboot}, ...). */
  public String parameterApplyStatus() {
    if (cluster != null) {
      return cluster.parameterApplyStatus();
    }
    return parameterGroups.isEmpty() ? null : parameterGroups.get(0).applyStatus();
  }
}
