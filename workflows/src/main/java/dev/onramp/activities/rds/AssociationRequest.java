package dev.onramp.activities.rds;

/** Put the instance on {@code parameterGroup} (ModifyDBInstance, ApplyImmediately). */
public record AssociationRequest(
    String region, String dbInstanceId, String parameterGroup, boolean applyPendingModifications) {}
