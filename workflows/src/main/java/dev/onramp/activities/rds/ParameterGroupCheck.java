package dev.onramp.activities.rds;

/**
 * Re-verification of the instance's parameter group: the group it uses now still sets {@code
 * rds.logical_replication=1} and is {@code in-sync} on the instance.
 */
public record ParameterGroupCheck(String region, String dbInstanceId) {}
