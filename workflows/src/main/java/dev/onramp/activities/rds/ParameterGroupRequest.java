package dev.onramp.activities.rds;

/** Make {@code plan.targetGroup()} set rds.logical_replication=1, as the plan says. */
public record ParameterGroupRequest(String region, ParameterGroupPlan plan) {}
