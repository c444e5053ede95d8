package dev.onramp.workflows;

/**
 * The Materialize side of an onboarding. Object names are identifiers in SQL syntax. {@code
 * cluster} is created with {@code clusterSize} unless it exists; {@code resizeTo} (optional)
 * resizes it once the snapshot is in.
 */
public record MaterializeTarget(
    String cluster,
    String clusterSize,
    String source,
    String connection,
    String secret,
    String sslMode,
    String sshTunnelConnection,
    String privatelinkConnection,
    String resizeTo) {

  public static final String DEFAULT_CLUSTER_SIZE = "25cc";

  /** Fills every unset name from the database name: {@code <db>_source}, {@code <db>_pg} ... */
  public MaterializeTarget withDefaults(String database) {
    String base = database.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    return new MaterializeTarget(
        orDefault(cluster, "onramp_ingest"),
        orDefault(clusterSize, DEFAULT_CLUSTER_SIZE),
        orDefault(source, base + "_source"),
        orDefault(connection, base + "_connection"),
        orDefault(secret, base + "_password"),
        orDefault(sslMode, "require"),
        sshTunnelConnection,
        privatelinkConnection,
        resizeTo);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
