package dev.onramp.activities.materialize;

/**
 * What the Materialize step will create or reuse, checked by {@link
 * MaterializeActivities#checkPlan} before anything changes anywhere: the cluster, the secret (named
 * in the connection), the connection and the source with its relations. {@code clusterSize} is the
 * size onramp gives (or resized) the cluster to, which re-verification compares against; null in
 * plans recorded before it existed, and whenever the size is not onramp's to watch.
 */
public record MaterializePlan(
    String cluster, ConnectionSpec connection, SourceSpec source, String clusterSize) {

  public MaterializePlan(String cluster, ConnectionSpec connection, SourceSpec source) {
    this(cluster, connection, source, null);
  }
}
