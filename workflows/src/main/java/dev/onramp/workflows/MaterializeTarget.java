package dev.onramp.workflows;

import java.util.Locale;

/**
 * The Materialize side of an onboarding. Object names are identifiers in SQL syntax. {@code
 * cluster} is created with {@code clusterSize} unless it exists; {@code resizeTo} (optional)
 * resizes it once the snapshot is in. {@code snapshotClusterSize} (optional, off by default): a
 * cluster onramp creates starts on this larger size for the initial snapshot and is shrunk to
 * {@code resizeTo}, or else {@code clusterSize}, once the snapshot is committed (never before).
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
    String resizeTo,
    String snapshotClusterSize) {

  /** Without a snapshot size (as before it existed). */
  public MaterializeTarget(
      String cluster,
      String clusterSize,
      String source,
      String connection,
      String secret,
      String sslMode,
      String sshTunnelConnection,
      String privatelinkConnection,
      String resizeTo) {
    this(
        cluster,
        clusterSize,
        source,
        connection,
        secret,
        sslMode,
        sshTunnelConnection,
        privatelinkConnection,
        resizeTo,
        null);
  }

  /** The size a cluster onramp creates starts on: the snapshot size when one is asked for. */
  public String sizeAtCreation() {
    return snapshotClusterSize == null || snapshotClusterSize.isBlank()
        ? clusterSize
        : snapshotClusterSize;
  }

  /** The size after the snapshot when the cluster started on a snapshot size. */
  public String sizeAfterSnapshot() {
    return resizeTo != null ? resizeTo : clusterSize;
  }

  public static final String DEFAULT_CLUSTER_SIZE = "25cc";

  /**
   * Fills every unset name from the database name (SQL text as written): {@code <db>_source},
   * {@code <db>_connection} ..., always plain lower-case identifiers of at most 63 bytes.
   */
  public MaterializeTarget withDefaults(String database) {
    String value;
    try {
      value = SqlIdentifiers.parseIdentifier(database);
    } catch (IllegalArgumentException e) {
      value = database; // the validator reports the database; any default will do meanwhile
    }
    String base = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    // The longest suffix is "_connection" (11 bytes): keep every default within 63 bytes.
    base = base.substring(0, Math.min(base.length(), SqlIdentifiers.MAX_IDENTIFIER_BYTES - 11));
    return new MaterializeTarget(
        orDefault(cluster, "onramp_ingest"),
        orDefault(clusterSize, DEFAULT_CLUSTER_SIZE),
        orDefault(source, base + "_source"),
        orDefault(connection, base + "_connection"),
        orDefault(secret, base + "_password"),
        orDefault(sslMode, "require"),
        sshTunnelConnection,
        privatelinkConnection,
        resizeTo,
        snapshotClusterSize == null || snapshotClusterSize.isBlank() ? null : snapshotClusterSize);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
