package dev.onramp.activities.materialize;

/** Peak utilization over the cluster's replicas, and the size onramp would pick. */
public record ClusterUtilization(
    String cluster, String size, double cpuPercent, double memoryPercent, String suggestedSize) {}
