package dev.onramp.sandbox.aws.http;

import dev.onramp.sandbox.aws.rds.ClusterService;
import dev.onramp.sandbox.aws.rds.ClusterService.ClusterView;
import dev.onramp.sandbox.aws.rds.ClusterService.MemberView;
import dev.onramp.sandbox.aws.rds.DbCluster;
import dev.onramp.sandbox.aws.rds.ParameterGroup;
import dev.onramp.sandbox.aws.rds.RdsService.Page;
import dev.onramp.sandbox.aws.rds.RdsService.ParameterChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Aurora operations of the RDS Query protocol: DescribeDBClusters, ModifyDBCluster and the DB
 * cluster parameter group calls, with the field names of the RDS API model ({@code
 * DBClusters/DBCluster}, {@code DBClusterMembers/DBClusterMember{DBInstanceIdentifier,
 * IsClusterWriter, DBClusterParameterGroupStatus, PromotionTier}}, {@code
 * DBClusterParameterGroups/DBClusterParameterGroup{DBClusterParameterGroupName,
 * DBParameterGroupFamily, Description, DBClusterParameterGroupArn}}).
 */
final class RdsClusterOperations {
  private final ClusterService clusters;

  RdsClusterOperations(ClusterService clusters) {
    this.clusters = clusters;
  }

  void register(Map<String, Function<QueryParams, String>> operations) {
    operations.put("DescribeDBClusters", this::describeDbClusters);
    operations.put("ModifyDBCluster", this::modifyDbCluster);
    operations.put("DescribeDBClusterParameterGroups", this::describeGroups);
    operations.put("DescribeDBClusterParameters", this::describeParameters);
    operations.put("CreateDBClusterParameterGroup", this::createGroup);
    operations.put("CopyDBClusterParameterGroup", this::copyGroup);
    operations.put("ModifyDBClusterParameterGroup", this::modifyGroup);
    operations.put("DeleteDBClusterParameterGroup", this::deleteGroup);
  }

  private String describeDbClusters(QueryParams q) {
    Page<ClusterView> page =
        clusters.describeClusters(
            q.getOrNull("DBClusterIdentifier"),
            RdsQueryHandler.filters(q),
            q.integer("MaxRecords").orElse(null),
            q.getOrNull("Marker"));
    Xml x = new Xml().open("DBClusters");
    page.items().forEach(v -> dbCluster(x, v));
    return x.close("DBClusters").el("Marker", page.marker()).toString();
  }

  private static void dbCluster(Xml x, ClusterView v) {
    DbCluster c = v.cluster();
    x.open("DBCluster")
        .el("AllocatedStorage", 1)
        .el("BackupRetentionPeriod", 7)
        .el("DatabaseName", c.databaseName)
        .el("DBClusterIdentifier", c.id)
        .el("DBClusterParameterGroup", v.clusterParameterGroup())
        .el("DBSubnetGroup", "default")
        .el("Status", v.status())
        .el("Endpoint", "127.0.0.1")
        .el("ReaderEndpoint", "127.0.0.1")
        .el("MultiAZ", v.members().size() > 1)
        .el("Engine", c.engine)
        .el("EngineVersion", c.engineVersion)
        .el("Port", c.port)
        .el("MasterUsername", c.masterUsername)
        .el("PreferredBackupWindow", "03:00-03:30")
        .el("PreferredMaintenanceWindow", c.preferredMaintenanceWindow)
        .open("DBClusterMembers");
    for (MemberView m : v.members()) {
      x.open("DBClusterMember")
          .el("DBInstanceIdentifier", m.instanceId())
          .el("IsClusterWriter", m.writer())
          .el("DBClusterParameterGroupStatus", m.clusterParameterGroupStatus())
          .el("PromotionTier", m.promotionTier())
          .close("DBClusterMember");
    }
    x.close("DBClusterMembers").open("VpcSecurityGroups");
    for (String sg : c.vpcSecurityGroupIds) {
      x.open("VpcSecurityGroupMembership")
          .el("VpcSecurityGroupId", sg)
          .el("Status", "active")
          .close("VpcSecurityGroupMembership");
    }
    x.close("VpcSecurityGroups")
        .el("HostedZoneId", "Z2R2ITUGPM61AM")
        .el("StorageEncrypted", true)
        .el("DbClusterResourceId", c.resourceId)
        .el("DBClusterArn", c.arn)
        .el("IAMDatabaseAuthenticationEnabled", false)
        .el("ClusterCreateTime", Instant.ofEpochMilli(c.createTimeMillis))
        .el("EngineMode", "provisioned")
        .el("DeletionProtection", false);
    if (c.masterUserSecretArn != null) {
      RdsQueryHandler.masterUserSecret(x, c.masterUserSecretArn, c.arn);
    }
    RdsQueryHandler.tagList(x, c.tags);
    x.close("DBCluster");
  }

  private String modifyDbCluster(QueryParams q) {
    ClusterView v =
        clusters.modifyCluster(
            q.required("DBClusterIdentifier"),
            q.getOrNull("DBClusterParameterGroupName"),
            q.bool("ApplyImmediately").orElse(false));
    Xml x = new Xml();
    dbCluster(x, v);
    return x.toString();
  }

  private static void group(Xml x, ParameterGroup g) {
    x.open("DBClusterParameterGroup")
        .el("DBClusterParameterGroupName", g.name)
        .el("DBParameterGroupFamily", g.family)
        .el("Description", g.description)
        .el("DBClusterParameterGroupArn", g.arn)
        .close("DBClusterParameterGroup");
  }

  private String describeGroups(QueryParams q) {
    Page<ParameterGroup> page =
        clusters.describeGroups(
            q.getOrNull("DBClusterParameterGroupName"),
            q.integer("MaxRecords").orElse(null),
            q.getOrNull("Marker"));
    Xml x = new Xml().open("DBClusterParameterGroups");
    page.items().forEach(g -> group(x, g));
    return x.close("DBClusterParameterGroups").el("Marker", page.marker()).toString();
  }

  private String describeParameters(QueryParams q) {
    return RdsQueryHandler.parameterRows(
        clusters.describeParameters(
            q.required("DBClusterParameterGroupName"),
            q.getOrNull("Source"),
            q.integer("MaxRecords").orElse(null),
            q.getOrNull("Marker")));
  }

  private String createGroup(QueryParams q) {
    Xml x = new Xml();
    group(
        x,
        clusters.createGroup(
            q.required("DBClusterParameterGroupName"),
            q.required("DBParameterGroupFamily"),
            q.required("Description"),
            RdsQueryHandler.tags(q)));
    return x.toString();
  }

  private String copyGroup(QueryParams q) {
    Xml x = new Xml();
    group(
        x,
        clusters.copyGroup(
            q.required("SourceDBClusterParameterGroupIdentifier"),
            q.required("TargetDBClusterParameterGroupIdentifier"),
            q.required("TargetDBClusterParameterGroupDescription"),
            RdsQueryHandler.tags(q)));
    return x.toString();
  }

  private String modifyGroup(QueryParams q) {
    String name = q.required("DBClusterParameterGroupName");
    List<ParameterChange> changes = new ArrayList<>();
    for (QueryParams p : q.structs("Parameters.Parameter")) {
      changes.add(
          new ParameterChange(
              p.getOrNull("ParameterName"),
              p.getOrNull("ParameterValue"),
              p.getOrNull("ApplyMethod")));
    }
    if (changes.isEmpty()) {
      throw AwsException.missingParameter("Parameters");
    }
    return new Xml()
        .el("DBClusterParameterGroupName", clusters.modifyGroup(name, changes))
        .toString();
  }

  private String deleteGroup(QueryParams q) {
    clusters.deleteGroup(q.required("DBClusterParameterGroupName"));
    return null;
  }
}
