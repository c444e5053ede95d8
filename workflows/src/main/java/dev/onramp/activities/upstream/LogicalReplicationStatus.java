package dev.onramp.activities.upstream;

/**
 * {@code rds.logical_replication} ("on"/"off") and {@code wal_level} as the server reports them.
 */
public record LogicalReplicationStatus(String rdsLogicalReplication, String walLevel) {

  public boolean enabled() {
    return "on".equals(rdsLogicalReplication) && "logical".equals(walLevel);
  }
}
