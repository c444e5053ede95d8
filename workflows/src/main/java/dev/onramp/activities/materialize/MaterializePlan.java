package dev.onramp.activities.materialize;

/**
 * What the Materialize step will create or reuse, checked by {@link
 * MaterializeActivities#checkPlan} before anything changes anywhere: the cluster, the secret (named
 * in the connection), the connection and the source with its relations.
 */
public record MaterializePlan(String cluster, ConnectionSpec connection, SourceSpec source) {}
