package dev.onramp.workflows;

import java.util.List;

/** What a completed onboarding returns: what it found, what it changed, where data now flows. */
public record OnboardingResult(
    String dbInstanceId,
    String database,
    String parameterGroup,
    int reboots,
    String publication,
    String replicationUser,
    String source,
    List<String> tables,
    long snapshotRecords,
    String clusterSize,
    List<String> createdResources) {}
