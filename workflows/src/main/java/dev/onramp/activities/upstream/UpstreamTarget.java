package dev.onramp.activities.upstream;

import dev.onramp.workflows.SecretRef;

/**
 * How to reach the upstream database as its admin. {@code adminCredentials} is resolved by the
 * activity ({@code RDS_MANAGED} is already replaced by the instance's master secret ARN); {@code
 * masterUsername} is used when the secret holds only a password. {@code sslMode} is kept for the
 * histories that carry it and no longer read: how the server's certificate is checked is the
 * worker's configuration ({@code upstream.sslMode}, {@code upstream.sslRootCert}), never a run's.
 */
public record UpstreamTarget(
    String region,
    String dbInstanceId,
    String host,
    int port,
    String database,
    String masterUsername,
    SecretRef adminCredentials,
    String sslMode) {

  /**
   * Database {@code database} of {@code instance} (instance {@code dbInstanceId} of {@code region}
   * as the request names it), reached at its endpoint as its master user with {@code admin}.
   */
  public static UpstreamTarget of(
      String region,
      String dbInstanceId,
      dev.onramp.activities.rds.DbInstanceInfo instance,
      String database,
      SecretRef admin) {
    return new UpstreamTarget(
        region,
        dbInstanceId,
        instance.endpointAddress(),
        instance.endpointPort(),
        database,
        instance.masterUsername(),
        admin,
        "require");
  }
}
