package dev.onramp.activities.secrets;

/** The Secrets Manager secret holding the replication user's generated password. */
public record ReplicationSecretRequest(
    String region, String dbInstanceId, String secretName, String username) {}
