package dev.onramp.activities.materialize;

import dev.onramp.workflows.SecretRef;

/**
 * A Materialize secret holding the replication password, read by the activity from {@code password}
 * in {@code region} (the value never travels through the workflow).
 */
public record MzSecretSpec(String name, String region, SecretRef password) {}
