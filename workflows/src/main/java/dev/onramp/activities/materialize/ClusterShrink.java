package dev.onramp.activities.materialize;

/**
 * Shrink {@code cluster} to {@code size} once {@code source}'s snapshot is committed (names are
 * values, quoted once by the activity).
 */
public record ClusterShrink(String cluster, String size, String source) {}
