package dev.onramp.activities.rds;

import java.util.List;

/**
 * The DescribeDBInstances fields onboarding needs. {@code pendingModifications} lists
 * PendingModifiedValues as {@code Field=value} (e.g. {@code DBInstanceClass=db.r6g.large}): what a
 * ModifyDBInstance with ApplyImmediately=true would apply along with onramp's change. Null in
 * histories recorded before it existed. {@code allocatedStorageGib} is AllocatedStorage (GiB): what
 * WAL a replication slot retains is weighed against it; null in histories recorded before it.
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
    Integer allocatedStorageGib) {

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
        null);
  }

  public record ParameterGroupStatus(String name, String applyStatus) {}

  /** The pending modifications, never null. */
  public List<String> pending() {
    return pendingModifications == null ? List.of() : pendingModifications;
  }

  /** The name of the (first) DB parameter group, as RDS lists it. */
  public String parameterGroup() {
    return parameterGroups.isEmpty() ? null : parameterGroups.get(0).name();
  }
}
