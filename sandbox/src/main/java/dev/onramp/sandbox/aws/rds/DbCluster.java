package dev.onramp.sandbox.aws.rds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Aurora DB cluster as the emulator keeps it (and persists it). Its members are {@link
 * DbInstance}s with {@code dbClusterIdentifier} set; the writer of an {@code aurora-postgresql}
 * cluster is a real PostgreSQL server.
 */
public final class DbCluster {
  public String id;
  public String arn;
  public String resourceId;
  public String engine;
  public String engineVersion;
  public String status;
  public String clusterParameterGroupName;
  public String databaseName;
  public String masterUsername;
  public String masterUserSecretArn;
  public int port;
  public List<String> vpcSecurityGroupIds = new ArrayList<>();
  public String preferredMaintenanceWindow = "sun:05:00-sun:06:00";
  public long createTimeMillis;

  /** Member instance ids in creation order; {@link #writer} is one of them. */
  public List<String> members = new ArrayList<>();

  public String writer;

  public Map<String, String> tags = new java.util.LinkedHashMap<>();

  public DbCluster() {}

  public String family() {
    return EngineFamily.of(engine, engineVersion);
  }
}
