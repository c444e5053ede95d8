package dev.onramp.sandbox.aws.rds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An RDS DB instance as the emulator keeps it (and persists it). Its PostgreSQL server is a {@link
 * DbInstanceServer}.
 */
public final class DbInstance {
  public String id;
  public String arn;
  public String resourceId;
  public String engine = "postgres";
  public String engineVersion;
  public String instanceClass;
  public String status;
  public String parameterGroupName;
  public String parameterApplyStatus = "in-sync";
  public List<String> vpcSecurityGroupIds = new ArrayList<>();
  public boolean publiclyAccessible;
  public String preferredMaintenanceWindow;
  public String preferredBackupWindow = "03:00-03:30";
  public String dbName;
  public String masterUsername;
  public String masterUserSecretArn;
  public String availabilityZone;
  public String vpcId;
  public int port;
  public long createTimeMillis;

  /**
   * AllocatedStorage in GiB. RDS's smallest gp3 volume is 20 GiB, the emulator's default; a test
   * sets it lower to reach a share of it with little WAL (state files without it read 20).
   */
  public int allocatedStorage = 20;

  /** The emulator's own superuser password (RDS's {@code rdsadmin}); never shown to clients. */
  public String adminPassword;

  /** Where the data directory lives, relative to the state directory. */
  public String dataDir;

  /**
   * Modifications made with ApplyImmediately=false, by API field name ({@code DBInstanceClass}):
   * RDS keeps them in PendingModifiedValues until the maintenance window or until any later
   * ModifyDBInstance with ApplyImmediately=true, which applies all of them at once.
   */
  public Map<String, String> pendingModifiedValues = new TreeMap<>();

  /** The parameter values the running PostgreSQL was configured with, by RDS parameter name. */
  public Map<String, String> appliedParameters = new TreeMap<>();

  /**
   * Tags (ListTagsForResource / AddTagsToResource); IAM conditions on aws:ResourceTag read them.
   */
  public Map<String, String> tags = new java.util.LinkedHashMap<>();

  /** The Aurora cluster this instance belongs to (DBClusterIdentifier); null for RDS. */
  public String dbClusterIdentifier;

  /**
   * The cluster parameter group's status on this member, as DescribeDBClusters shows it in
   * DBClusterMembers[].DBClusterParameterGroupStatus ({@code in-sync}, {@code applying}, {@code
   * pending-reboot}).
   */
  public String clusterParameterApplyStatus = "in-sync";

  /**
   * No PostgreSQL server behind it: Aurora readers and MySQL engines are only described (see
   * sandbox/README.md); their reboots are state transitions only.
   */
  public boolean describeOnly;

  public DbInstance() {}

  /** {@code postgres16} for {@code 16.x}, {@code mysql8.0} for {@code 8.0.x}. */
  public String family() {
    return EngineFamily.of(engine, engineVersion);
  }
}
