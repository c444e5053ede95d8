package dev.onramp.activities.rds;

import java.util.List;

/** The DescribeDBInstances fields onboarding needs. */
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
    String dbClusterId) {

  public record ParameterGroupStatus(String name, String applyStatus) {}

  /** The name of the (first) DB parameter group, as RDS lists it. */
  public String parameterGroup() {
    return parameterGroups.isEmpty() ? null : parameterGroups.get(0).name();
  }
}
