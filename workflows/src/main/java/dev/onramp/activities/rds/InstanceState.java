package dev.onramp.activities.rds;

/** The status fields a wait looks at. */
public record InstanceState(String status, String parameterGroup, String parameterApplyStatus) {}
