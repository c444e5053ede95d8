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
    String sslMode) {}
