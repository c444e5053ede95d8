package dev.onramp.sandbox.aws.http;

import dev.onramp.sandbox.aws.iam.AccessDeniedException;
import dev.onramp.sandbox.aws.rds.ClusterService;
import dev.onramp.sandbox.aws.rds.DbInstance;
import dev.onramp.sandbox.aws.rds.ParameterDefinition;
import dev.onramp.sandbox.aws.rds.ParameterGroup;
import dev.onramp.sandbox.aws.rds.RdsEvent;
import dev.onramp.sandbox.aws.rds.RdsService;
import dev.onramp.sandbox.aws.rds.RdsService.EngineVersion;
import dev.onramp.sandbox.aws.rds.RdsService.InstanceView;
import dev.onramp.sandbox.aws.rds.RdsService.Page;
import dev.onramp.sandbox.aws.rds.RdsService.ParameterChange;
import dev.onramp.sandbox.aws.rds.RdsService.ParameterRow;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The RDS Query protocol ({@code Version=2014-10-31}): parses the form parameters of each operation
 * and renders {@code <OpResponse><OpResult>...</OpResult><ResponseMetadata>}. The Result element
 * must come first: the Java SDK reads the root's first child as the result.
 */
public final class RdsQueryHandler {
  public static final String VERSION = "2014-10-31";
  static final String XMLNS = "http://rds.amazonaws.com/doc/2014-10-31/";

  private final RdsService rds;
  private final Map<String, Function<QueryParams, String>> operations = new LinkedHashMap<>();

  public RdsQueryHandler(RdsService rds, ClusterService clusters) {
    this.rds = rds;
    new RdsClusterOperations(clusters).register(operations);
    operations.put("DescribeDBInstances", this::describeDbInstances);
    operations.put("DescribeDBEngineVersions", this::describeDbEngineVersions);
    operations.put("DescribeDBParameterGroups", this::describeDbParameterGroups);
    operations.put("DescribeDBParameters", this::describeDbParameters);
    operations.put("CreateDBParameterGroup", this::createDbParameterGroup);
    operations.put("CopyDBParameterGroup", this::copyDbParameterGroup);
    operations.put("ModifyDBParameterGroup", this::modifyDbParameterGroup);
    operations.put("DeleteDBParameterGroup", this::deleteDbParameterGroup);
    operations.put("ModifyDBInstance", this::modifyDbInstance);
    operations.put("RebootDBInstance", this::rebootDbInstance);
    operations.put("DescribeEvents", this::describeEvents);
    operations.put("ListTagsForResource", this::listTagsForResource);
    operations.put("AddTagsToResource", this::addTagsToResource);
  }

  public boolean knows(String action) {
    return operations.containsKey(action);
  }

  /** The XML inside {@code <ActionResult>}; null for an operation without output. */
  public String handle(String action, QueryParams q) {
    return operations.get(action).apply(q);
  }

  /** The whole success document. */
  public static String envelope(String action, String result, String requestId) {
    StringBuilder sb = new StringBuilder();
    sb.append('<').append(action).append("Response xmlns=\"").append(XMLNS).append("\">");
    if (result != null) {
      sb.append('<').append(action).append("Result>").append(result);
      sb.append("</").append(action).append("Result>");
    }
    sb.append("<ResponseMetadata><RequestId>").append(requestId);
    sb.append("</RequestId></ResponseMetadata></").append(action).append("Response>");
    return sb.toString();
  }

  /** RDS refuses a call IAM does not allow with {@code AccessDenied}, HTTP 403. */
  public static AwsException accessDenied(AccessDeniedException denied) {
    return new AwsException("AccessDenied", 403, denied.getMessage());
  }

  /** RDS's error document ({@code ErrorResponse/Error/{Type,Code,Message}}, {@code RequestId}). */
  public static String error(AwsException e, String requestId) {
    return new Xml()
        .open("ErrorResponse", XMLNS)
        .open("Error")
        .el("Type", e.isServerFault() ? "Receiver" : "Sender")
        .el("Code", e.code())
        .el("Message", e.getMessage())
        .close("Error")
        .el("RequestId", requestId)
        .close("ErrorResponse")
        .toString();
  }

  // ------------------------------------------------------------------ operations

  static Map<String, List<String>> filters(QueryParams q) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (QueryParams f : q.structs("Filters.Filter")) {
      String name = f.required("Name");
      out.put(name, f.list("Values.Value"));
    }
    return out;
  }

  private String describeDbInstances(QueryParams q) {
    Page<InstanceView> page =
        rds.describeInstances(
            q.getOrNull("DBInstanceIdentifier"),
            filters(q),
            q.integer("MaxRecords").orElse(null),
            q.getOrNull("Marker"));
    Xml x = new Xml().open("DBInstances");
    for (InstanceView v : page.items()) {
      dbInstance(x, v);
    }
    x.close("DBInstances");
    x.el("Marker", page.marker());
    return x.toString();
  }

  private void dbInstance(Xml x, InstanceView v) {
    DbInstance i = v.instance();
    x.open("DBInstance")
        .el("DBInstanceIdentifier", i.id)
        .el("DBInstanceClass", i.instanceClass)
        .el("Engine", i.engine)
        .el("DBInstanceStatus", v.status())
        .el("MasterUsername", i.masterUsername)
        .el("DBName", i.dbName)
        .open("Endpoint")
        .el("Address", "127.0.0.1")
        .el("Port", i.port)
        .el("HostedZoneId", "Z2R2ITUGPM61AM")
        .close("Endpoint")
        .el("AllocatedStorage", i.allocatedStorage)
        .el("InstanceCreateTime", Instant.ofEpochMilli(i.createTimeMillis))
        .el("PreferredBackupWindow", i.preferredBackupWindow)
        .el("BackupRetentionPeriod", 7)
        .open("DBSecurityGroups")
        .close("DBSecurityGroups")
        .open("VpcSecurityGroups");
    for (String sg : i.vpcSecurityGroupIds) {
      x.open("VpcSecurityGroupMembership")
          .el("VpcSecurityGroupId", sg)
          .el("Status", "active")
          .close("VpcSecurityGroupMembership");
    }
    x.close("VpcSecurityGroups")
        .open("DBParameterGroups")
        .open("DBParameterGroup")
        .el("DBParameterGroupName", i.parameterGroupName)
        .el("ParameterApplyStatus", i.parameterApplyStatus)
        .close("DBParameterGroup")
        .close("DBParameterGroups")
        .el("AvailabilityZone", i.availabilityZone)
        .open("DBSubnetGroup")
        .el("DBSubnetGroupName", "default-" + i.vpcId)
        .el("DBSubnetGroupDescription", "Created from the RDS Management Console")
        .el("VpcId", i.vpcId)
        .el("SubnetGroupStatus", "Complete")
        .close("DBSubnetGroup")
        .el("PreferredMaintenanceWindow", i.preferredMaintenanceWindow)
        .open("PendingModifiedValues");
    i.pendingModifiedValues.forEach(x::el);
    x.close("PendingModifiedValues")
        .el("MultiAZ", false)
        .el("EngineVersion", i.engineVersion)
        .el("AutoMinorVersionUpgrade", true)
        .el("LicenseModel", "postgresql-license")
        .el("PubliclyAccessible", i.publiclyAccessible)
        .el("StorageType", "gp3")
        .el("DbInstancePort", 0)
        .el("StorageEncrypted", true)
        .el("DBClusterIdentifier", i.dbClusterIdentifier)
        .el("DbiResourceId", i.resourceId)
        .el("CACertificateIdentifier", "rds-ca-rsa2048-g1")
        .el("DBInstanceArn", i.arn)
        .el("IAMDatabaseAuthenticationEnabled", false)
        .el("DeletionProtection", false);
    if (i.dbClusterIdentifier == null) {
      // An Aurora member has no secret of its own: the cluster's MasterUserSecret is the one.
      masterUserSecret(x, i.masterUserSecretArn, i.arn);
    }
    x.close("DBInstance");
  }

  static void masterUserSecret(Xml x, String secretArn, String ownerArn) {
    x.open("MasterUserSecret")
        .el("SecretArn", secretArn)
        .el("SecretStatus", "active")
        .el(
            "KmsKeyId",
            "arn:aws:kms:"
                + regionOf(ownerArn)
                + ":"
                + accountOf(ownerArn)
                + ":alias/aws/secretsmanager")
        .close("MasterUserSecret");
  }

  static String regionOf(String arn) {
    return arn.split(":")[3];
  }

  static String accountOf(String arn) {
    return arn.split(":")[4];
  }

  private String describeDbEngineVersions(QueryParams q) {
    List<EngineVersion> versions =
        rds.describeEngineVersions(
            q.getOrNull("Engine"),
            q.getOrNull("EngineVersion"),
            q.getOrNull("DBParameterGroupFamily"),
            q.bool("DefaultOnly").orElse(false));
    Xml x = new Xml().open("DBEngineVersions");
    for (EngineVersion v : versions) {
      x.open("DBEngineVersion")
          .el("Engine", v.engine())
          .el("EngineVersion", v.version())
          .el("DBParameterGroupFamily", v.family())
          .el(
              "DBEngineDescription",
              v.engine().equals("postgres") ? "PostgreSQL" : "Aurora (PostgreSQL)")
          .el("DBEngineVersionDescription", "PostgreSQL " + v.version() + "-R1")
          .el("Status", "available")
          .el("SupportsLogExportsToCloudwatchLogs", true)
          .el("SupportsReadReplica", true)
          .close("DBEngineVersion");
    }
    return x.close("DBEngineVersions").toString();
  }

  static void parameterGroup(Xml x, ParameterGroup g) {
    x.open("DBParameterGroup")
        .el("DBParameterGroupName", g.name)
        .el("DBParameterGroupFamily", g.family)
        .el("Description", g.description)
        .el("DBParameterGroupArn", g.arn)
        .close("DBParameterGroup");
  }

  private String describeDbParameterGroups(QueryParams q) {
    Page<ParameterGroup> page =
        rds.describeGroups(
            q.getOrNull("DBParameterGroupName"),
            q.integer("MaxRecords").orElse(null),
            q.getOrNull("Marker"));
    Xml x = new Xml().open("DBParameterGroups");
    page.items().forEach(g -> parameterGroup(x, g));
    return x.close("DBParameterGroups").el("Marker", page.marker()).toString();
  }

  private String describeDbParameters(QueryParams q) {
    Page<ParameterRow> page =
        rds.describeParameters(
            q.required("DBParameterGroupName"),
            q.getOrNull("Source"),
            q.integer("MaxRecords").orElse(null),
            q.getOrNull("Marker"));
    return parameterRows(page);
  }

  /** {@code Parameters/Parameter} rows and the Marker, for DB and DB cluster parameters alike. */
  static String parameterRows(Page<ParameterRow> page) {
    Xml x = new Xml().open("Parameters");
    for (ParameterRow r : page.items()) {
      ParameterDefinition d = r.def();
      x.open("Parameter")
          .el("ParameterName", d.name())
          .el("ParameterValue", r.value())
          .el("Description", d.description())
          .el("Source", r.source())
          .el("ApplyType", d.applyType())
          .el("DataType", d.dataType())
          .el("AllowedValues", d.allowedValues())
          .el("IsModifiable", d.modifiable())
          .el("ApplyMethod", r.applyMethod())
          .close("Parameter");
    }
    return x.close("Parameters").el("Marker", page.marker()).toString();
  }

  private String createDbParameterGroup(QueryParams q) {
    ParameterGroup g =
        rds.createGroup(
            q.required("DBParameterGroupName"),
            q.required("DBParameterGroupFamily"),
            q.required("Description"),
            tags(q));
    Xml x = new Xml();
    parameterGroup(x, g);
    return x.toString();
  }

  private String copyDbParameterGroup(QueryParams q) {
    ParameterGroup g =
        rds.copyGroup(
            q.required("SourceDBParameterGroupIdentifier"),
            q.required("TargetDBParameterGroupIdentifier"),
            q.required("TargetDBParameterGroupDescription"),
            tags(q));
    Xml x = new Xml();
    parameterGroup(x, g);
    return x.toString();
  }

  /** {@code Tags.Tag.N.Key} / {@code Tags.Tag.N.Value}, in order. */
  static Map<String, String> tags(QueryParams q) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (QueryParams t : q.structs("Tags.Tag")) {
      String key = t.getOrNull("Key");
      if (key == null) {
        throw AwsException.missingParameter("Tags.Tag.N.Key");
      }
      String value = t.getOrNull("Value");
      tags.put(key, value == null ? "" : value);
    }
    return tags;
  }

  static void tagList(Xml x, Map<String, String> tags) {
    x.open("TagList");
    tags.forEach((k, v) -> x.open("Tag").el("Key", k).el("Value", v).close("Tag"));
    x.close("TagList");
  }

  private String listTagsForResource(QueryParams q) {
    Xml x = new Xml();
    tagList(x, rds.listTags(q.required("ResourceName")));
    return x.toString();
  }

  private String addTagsToResource(QueryParams q) {
    Map<String, String> tags = tags(q);
    if (tags.isEmpty()) {
      throw AwsException.missingParameter("Tags");
    }
    rds.addTags(q.required("ResourceName"), tags);
    return null;
  }

  private String modifyDbParameterGroup(QueryParams q) {
    String name = q.required("DBParameterGroupName");
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
    return new Xml().el("DBParameterGroupName", rds.modifyGroup(name, changes)).toString();
  }

  private String deleteDbParameterGroup(QueryParams q) {
    rds.deleteGroup(q.required("DBParameterGroupName"));
    return null;
  }

  private String modifyDbInstance(QueryParams q) {
    String id = q.required("DBInstanceIdentifier");
    List<String> sgs = q.list("VpcSecurityGroupIds.VpcSecurityGroupId");
    boolean sgGiven = !sgs.isEmpty() || q.get("VpcSecurityGroupIds").isPresent();
    InstanceView v =
        rds.modifyInstance(
            id,
            q.getOrNull("DBParameterGroupName"),
            sgGiven ? sgs : null,
            q.getOrNull("DBInstanceClass"),
            q.getOrNull("PreferredMaintenanceWindow"),
            q.bool("ApplyImmediately").orElse(false));
    Xml x = new Xml();
    dbInstance(x, v);
    return x.toString();
  }

  private String rebootDbInstance(QueryParams q) {
    InstanceView v =
        rds.rebootInstance(
            q.required("DBInstanceIdentifier"), q.bool("ForceFailover").orElse(false));
    Xml x = new Xml();
    dbInstance(x, v);
    return x.toString();
  }

  private static Long time(QueryParams q, String name) {
    String v = q.getOrNull(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw AwsException.invalidParameterValue(
          "Invalid value for " + name + ": " + v + ". It must be an ISO 8601 date.");
    }
  }

  private String describeEvents(QueryParams q) {
    List<RdsEvent> events =
        rds.describeEvents(
            q.getOrNull("SourceIdentifier"),
            q.getOrNull("SourceType"),
            time(q, "StartTime"),
            time(q, "EndTime"),
            q.integer("Duration").orElse(null));
    Xml x = new Xml().open("Events");
    for (RdsEvent e : events) {
      x.open("Event")
          .el("SourceIdentifier", e.sourceIdentifier())
          .el("SourceType", e.sourceType())
          .el("Message", e.message())
          .open("EventCategories");
      for (String c : e.eventCategories()) {
        x.el("EventCategory", c);
      }
      x.close("EventCategories")
          .el("Date", Instant.ofEpochMilli(e.dateMillis()))
          .el("SourceArn", e.sourceArn())
          .close("Event");
    }
    return x.close("Events").toString();
  }
}
