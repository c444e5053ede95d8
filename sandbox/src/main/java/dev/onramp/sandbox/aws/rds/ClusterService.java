package dev.onramp.sandbox.aws.rds;

import dev.onramp.sandbox.aws.DbClusterSpec;
import dev.onramp.sandbox.aws.EmulatorContext;
import dev.onramp.sandbox.aws.http.AwsException;
import dev.onramp.sandbox.aws.rds.RdsService.ChangeEffect;
import dev.onramp.sandbox.aws.rds.RdsService.Page;
import dev.onramp.sandbox.aws.rds.RdsService.ParameterChange;
import dev.onramp.sandbox.aws.rds.RdsService.ParameterRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aurora: DB clusters, their members and DB cluster parameter groups. The facts it follows
 * (shared/reference/aws-rds.md, the RDS API model): {@code rds.logical_replication} is a static
 * parameter of the <em>cluster</em> group ({@code aurora-postgresql<N>} family); ModifyDBCluster
 * with a new group moves the cluster to {@code modifying} and every member's {@code
 * DBClusterParameterGroupStatus} to {@code applying}, then {@code pending-reboot}; only a reboot of
 * a member (RebootDBInstance) brings that member to {@code in-sync}. Readers of Aurora PostgreSQL
 * newer than 14.6/13.9/12.13 are not rebooted with the writer (Aurora User Guide,
 * aurora-reboot-cluster.html), so they stay {@code pending-reboot} until rebooted themselves.
 * Default cluster groups cannot be modified or deleted; cluster groups are a namespace of their own
 * ({@code cluster-pg} ARNs), with the DB parameter groups' error codes.
 */
public final class ClusterService {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
  private static final int CLUSTER_PARAMETER_GROUP_QUOTA = 50;

  private final EmulatorContext ctx;
  private final RdsService rds;

  public ClusterService(EmulatorContext ctx, RdsService rds) {
    this.ctx = ctx;
    this.rds = rds;
  }

  // ---------------------------------------------------------------- lifecycle

  private static List<String> clusterFamilies() {
    List<String> out = new ArrayList<>();
    for (String f : RdsService.families()) {
      if (f.startsWith("aurora-")) {
        out.add(f);
      }
    }
    out.add("aurora-mysql8.0");
    return out;
  }

  /** The default cluster group of every Aurora family, as in an AWS account. */
  public void ensureDefaultGroups() {
    synchronized (ctx.state) {
      for (String family : clusterFamilies()) {
        String name = "default." + family;
        ctx.state.clusterParameterGroups.computeIfAbsent(
            name,
            n ->
                new ParameterGroup(
                    n,
                    family,
                    "Default cluster parameter group for " + family,
                    ctx.rdsArn("cluster-pg", n)));
      }
      ctx.save();
    }
  }

  /** Finishes a modification cut short by a stop of the emulator. */
  public void resumeClusters() {
    synchronized (ctx.state) {
      for (DbCluster c : ctx.state.clusters.values()) {
        if ("modifying".equals(c.status)) {
          c.status = "available";
          for (DbInstance m : members(c)) {
            if ("applying".equals(m.clusterParameterApplyStatus)) {
              m.clusterParameterApplyStatus = "pending-reboot";
            }
          }
        }
      }
      ctx.save();
    }
  }

  /** Creates a cluster, its writer and readers, unless the state already has it. */
  public DbCluster createCluster(DbClusterSpec rawSpec) {
    DbClusterSpec spec = rawSpec.withDefaults();
    if (spec.id() == null || !RdsService.validIdentifier(spec.id())) {
      throw new IllegalArgumentException(
          "DBClusterIdentifier " + spec.id() + RdsService.IDENTIFIER_RULES);
    }
    if (!spec.engine().startsWith("aurora-")) {
      throw new IllegalArgumentException(
          "DB cluster " + spec.id() + ": engine " + spec.engine() + " is not an Aurora engine");
    }
    String id = spec.id().toLowerCase();
    String family = EngineFamily.of(spec.engine(), spec.engineVersion());
    DbCluster c;
    synchronized (ctx.state) {
      DbCluster existing = ctx.state.clusters.get(id);
      if (existing != null) {
        return existing;
      }
      ParameterGroup group = ctx.state.clusterParameterGroups.get(spec.clusterParameterGroup());
      if (group == null && spec.clusterParameterGroup().startsWith("default.")) {
        throw new IllegalArgumentException(
            "unknown default cluster group " + spec.clusterParameterGroup());
      }
      if (group == null) {
        group =
            new ParameterGroup(
                spec.clusterParameterGroup(),
                family,
                "Cluster parameter group " + spec.clusterParameterGroup(),
                ctx.rdsArn("cluster-pg", spec.clusterParameterGroup()));
        ctx.state.clusterParameterGroups.put(group.name, group);
      }
      if (!group.family.equals(family)) {
        throw new IllegalArgumentException(
            "cluster parameter group " + group.name + " is " + group.family + ", not " + family);
      }
      c = new DbCluster();
      c.id = id;
      c.arn = ctx.rdsArn("cluster", id);
      c.resourceId = "cluster-" + EmulatorContext.alnum(26).toUpperCase();
      c.engine = spec.engine();
      c.engineVersion = spec.engineVersion();
      c.status = "creating";
      c.clusterParameterGroupName = group.name;
      c.databaseName = spec.dbName();
      c.masterUsername = spec.masterUsername();
      c.createTimeMillis = System.currentTimeMillis();
      c.writer = spec.writer().toLowerCase();
      ctx.state.clusters.put(id, c);
      ctx.save();
    }
    boolean postgres = EngineFamily.isPostgres(spec.engine());
    DbInstance writer = rds.createInstance(spec.member(spec.writer()), id, !postgres);
    List<DbInstance> readers = new ArrayList<>();
    for (String reader : spec.readers()) {
      readers.add(rds.createInstance(spec.member(reader), id, true));
    }
    synchronized (ctx.state) {
      c.members.add(writer.id);
      readers.forEach(r -> c.members.add(r.id));
      c.masterUserSecretArn = writer.masterUserSecretArn;
      c.port = writer.port;
      c.vpcSecurityGroupIds = new ArrayList<>(writer.vpcSecurityGroupIds);
      c.status = "available";
      event(c, "DB cluster created", "creation");
      ctx.save();
    }
    LOG.info("DB cluster {} created: writer {}, readers {}", id, writer.id, spec.readers());
    return c;
  }

  // ---------------------------------------------------------------- clusters

  /** One DBClusterMembers entry. */
  public record MemberView(
      String instanceId, boolean writer, String clusterParameterGroupStatus, int promotionTier) {}

  /** A point-in-time copy of a cluster for rendering outside the lock. */
  public record ClusterView(
      DbCluster cluster, String status, String clusterParameterGroup, List<MemberView> members) {}

  private List<DbInstance> members(DbCluster c) {
    List<DbInstance> out = new ArrayList<>();
    for (String m : c.members) {
      DbInstance inst = ctx.state.instances.get(m);
      if (inst != null) {
        out.add(inst);
      }
    }
    return out;
  }

  /** What DescribeDBClusters shows as the status: a stuck fault (by cluster id) wins. */
  private String displayStatus(DbCluster c) {
    return ctx.faults.stuckStatus(c.id).orElse(c.status);
  }

  private ClusterView view(DbCluster c) {
    List<MemberView> members = new ArrayList<>();
    int tier = 1;
    for (DbInstance m : members(c)) {
      members.add(
          new MemberView(m.id, m.id.equals(c.writer), m.clusterParameterApplyStatus, tier++));
    }
    return new ClusterView(c, displayStatus(c), c.clusterParameterGroupName, members);
  }

  /** Old answers owed under the describe-lag fault (by cluster id), as for instances. */
  private final Map<String, ClusterView> staleViews = new HashMap<>();

  private final Map<String, Integer> staleRemaining = new HashMap<>();

  private void rememberForLag(DbCluster c) {
    int lag = ctx.faults.describeLag(c.id);
    if (lag > 0) {
      boolean owing = staleRemaining.getOrDefault(c.id, 0) > 0;
      if (!owing) {
        staleViews.put(c.id, view(c));
      }
      staleRemaining.put(c.id, lag);
    }
  }

  private ClusterView describedView(DbCluster c) {
    int remaining = staleRemaining.getOrDefault(c.id, 0);
    if (remaining > 0) {
      staleRemaining.put(c.id, remaining - 1);
      return staleViews.get(c.id);
    }
    staleViews.remove(c.id);
    return view(c);
  }

  private static String idFromArnOrId(String idOrArn) {
    int i = idOrArn.lastIndexOf(":cluster:");
    return idOrArn.startsWith("arn:") && i >= 0 ? idOrArn.substring(i + 9) : idOrArn;
  }

  private DbCluster requireCluster(String idOrArn) {
    String id = idFromArnOrId(idOrArn);
    DbCluster c = ctx.state.clusters.get(id.toLowerCase());
    if (c == null) {
      throw AwsException.notFound("DBClusterNotFoundFault", "DBCluster " + id + " not found.");
    }
    return c;
  }

  public Page<ClusterView> describeClusters(
      String idOrArn, Map<String, List<String>> filters, Integer maxRecords, String marker) {
    int max = RdsService.maxRecords(maxRecords);
    synchronized (ctx.state) {
      List<ClusterView> out = new ArrayList<>();
      if (idOrArn != null) {
        String id = idFromArnOrId(idOrArn);
        if (!RdsService.validIdentifier(id)) {
          throw AwsException.invalidParameterValue(
              "The parameter DBClusterIdentifier" + RdsService.IDENTIFIER_RULES);
        }
        out.add(describedView(requireCluster(idOrArn)));
      } else {
        for (DbCluster c : ctx.state.clusters.values()) {
          out.add(describedView(c));
        }
      }
      out.removeIf(v -> !matches(v.cluster(), filters));
      return RdsService.page(out, max, marker);
    }
  }

  private static boolean matches(DbCluster c, Map<String, List<String>> filters) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      List<String> values = f.getValue();
      boolean ok =
          switch (f.getKey()) {
            case "db-cluster-id" -> values.contains(c.id) || values.contains(c.arn);
            case "engine" -> values.contains(c.engine);
            case "db-cluster-resource-id" -> values.contains(c.resourceId);
            case "clone-group-id", "domain" -> false;
            default ->
                throw AwsException.invalidParameterValue(
                    "Unrecognized filter name: " + f.getKey() + ".");
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * ModifyDBCluster with DBClusterParameterGroupName: the name switches at once and the cluster is
   * {@code modifying} for a while, its members {@code applying}; then every member is {@code
   * pending-reboot} (static parameters wait for each member's reboot), and the new group's dynamic
   * parameters are live on the writer.
   */
  public ClusterView modifyCluster(String idOrArn, String groupName, boolean applyImmediately) {
    synchronized (ctx.state) {
      DbCluster c = requireCluster(idOrArn);
      ParameterGroup group = null;
      if (groupName != null) {
        group = ctx.state.clusterParameterGroups.get(groupName.toLowerCase());
        if (group == null) {
          group = ctx.state.clusterParameterGroups.get(groupName);
        }
        if (group == null) {
          throw AwsException.notFound(
              "DBClusterParameterGroupNotFound", "DBClusterParameterGroup not found: " + groupName);
        }
        if (!group.family.equals(c.family())) {
          throw AwsException.badRequest(
              "InvalidParameterCombination",
              "The cluster parameter group "
                  + group.name
                  + " with DBParameterGroupFamily "
                  + group.family
                  + " can't be used for this cluster. Use a parameter group with"
                  + " DBParameterGroupFamily "
                  + c.family()
                  + ".");
        }
      }
      if (!"available".equals(displayStatus(c))) {
        throw AwsException.badRequest(
            "InvalidDBClusterStateFault", "DB cluster " + c.id + " is not in available state.");
      }
      if (group == null || group.name.equals(c.clusterParameterGroupName)) {
        return view(c);
      }
      rememberForLag(c);
      c.clusterParameterGroupName = group.name;
      c.status = "modifying";
      for (DbInstance m : members(c)) {
        m.clusterParameterApplyStatus = "applying";
      }
      event(c, "Updated to use DBClusterParameterGroup " + group.name, "configuration change");
      ctx.save();
      ClusterView v = view(c);
      String id = c.id;
      ctx.scheduler.schedule(
          () -> ctx.workers.execute(() -> finishModify(id)),
          ctx.timings.modifying().toMillis(),
          TimeUnit.MILLISECONDS);
      return v;
    }
  }

  private void finishModify(String id) {
    synchronized (ctx.state) {
      DbCluster c = ctx.state.clusters.get(id);
      if (c == null || !"modifying".equals(c.status)) {
        return;
      }
      ParameterGroup g = ctx.state.clusterParameterGroups.get(c.clusterParameterGroupName);
      for (DbInstance m : members(c)) {
        m.clusterParameterApplyStatus = "pending-reboot";
        if (g != null) {
          // Dynamic parameters of the new group apply without a reboot.
          Map<String, String> live = new TreeMap<>(m.appliedParameters);
          for (ParameterDefinition def : ParameterCatalog.forClusterFamily(g.family)) {
            if (!def.isStatic()) {
              RdsService.putOrRemove(live, def.name(), g.value(def));
            }
          }
          m.appliedParameters = live;
          rds.reloadLater(m, live);
        }
      }
      c.status = "available";
      event(c, "Finished applying modification to DB cluster", "configuration change");
      ctx.save();
    }
  }

  private void event(DbCluster c, String message, String category) {
    ctx.state.events.add(
        new RdsEvent(
            c.id, "db-cluster", c.arn, message, List.of(category), System.currentTimeMillis()));
  }

  // ---------------------------------------------------------------- cluster parameter groups

  private ParameterGroup requireGroup(String name) {
    String n = name.startsWith("arn:") ? name.substring(name.lastIndexOf(':') + 1) : name;
    ParameterGroup g = ctx.state.clusterParameterGroups.get(n.toLowerCase());
    if (g == null) {
      g = ctx.state.clusterParameterGroups.get(n);
    }
    if (g == null) {
      // The model's DBParameterGroupNotFoundFault, as for DB parameter groups.
      throw AwsException.notFound(
          "DBParameterGroupNotFound", "DBClusterParameterGroup not found: " + n);
    }
    return g;
  }

  public ParameterGroup createGroup(
      String name, String family, String description, Map<String, String> tags) {
    synchronized (ctx.state) {
      RdsService.checkTags(tags);
      checkName(name);
      if (name.toLowerCase().startsWith("default.")) {
        throw AwsException.invalidParameterValue(
            "The parameter DBClusterParameterGroupName must not start with 'default.'.");
      }
      if (!clusterFamilies().contains(family)) {
        throw AwsException.invalidParameterValue(
            "The parameter DBParameterGroupFamily is not valid: " + family);
      }
      ParameterGroup g = addGroup(name.toLowerCase(), family, description);
      g.tags.putAll(tags);
      ctx.save();
      return g;
    }
  }

  private static void checkName(String name) {
    if (!RdsService.validIdentifier(name.replace('.', 'x')) || name.length() > 255) {
      throw AwsException.invalidParameterValue(
          "The parameter DBClusterParameterGroupName" + RdsService.IDENTIFIER_RULES);
    }
  }

  private ParameterGroup addGroup(String name, String family, String description) {
    if (ctx.state.clusterParameterGroups.containsKey(name)) {
      throw AwsException.badRequest(
          "DBParameterGroupAlreadyExists",
          "A DB cluster parameter group named " + name + " already exists.");
    }
    long custom =
        ctx.state.clusterParameterGroups.values().stream().filter(g -> !g.isDefault()).count();
    if (custom >= CLUSTER_PARAMETER_GROUP_QUOTA) {
      throw AwsException.badRequest(
          "DBParameterGroupQuotaExceeded",
          "The request cannot be processed because it would exceed the maximum number of"
              + " DBClusterParameterGroups.");
    }
    ParameterGroup g =
        new ParameterGroup(name, family, description, ctx.rdsArn("cluster-pg", name));
    ctx.state.clusterParameterGroups.put(name, g);
    return g;
  }

  /** CopyDBClusterParameterGroup; the copy takes the tags given, not the source's. */
  public ParameterGroup copyGroup(
      String source, String target, String description, Map<String, String> tags) {
    synchronized (ctx.state) {
      RdsService.checkTags(tags);
      ParameterGroup src = requireGroup(source);
      checkName(target);
      ParameterGroup g = addGroup(target.toLowerCase(), src.family, description);
      g.userValues.putAll(src.userValues);
      g.applyMethods.putAll(src.applyMethods);
      g.tags.putAll(tags);
      ctx.save();
      return g;
    }
  }

  public Page<ParameterGroup> describeGroups(String name, Integer maxRecords, String marker) {
    int max = RdsService.maxRecords(maxRecords);
    synchronized (ctx.state) {
      List<ParameterGroup> out =
          name != null
              ? List.of(requireGroup(name))
              : new ArrayList<>(ctx.state.clusterParameterGroups.values());
      return RdsService.page(out, max, marker);
    }
  }

  public Page<ParameterRow> describeParameters(
      String groupName, String source, Integer maxRecords, String marker) {
    int max = RdsService.maxRecords(maxRecords);
    if (source != null && !List.of("user", "system", "engine-default").contains(source)) {
      throw AwsException.invalidParameterValue(
          "Invalid value for Source: "
              + source
              + ". Valid values are: user, system, engine-default.");
    }
    synchronized (ctx.state) {
      ParameterGroup g = requireGroup(groupName);
      List<ParameterRow> rows = new ArrayList<>();
      for (ParameterDefinition def : ParameterCatalog.forClusterFamily(g.family)) {
        boolean user = g.userValues.containsKey(def.name());
        String rowSource =
            user ? "user" : def.name().startsWith("rds.") ? "system" : "engine-default";
        if (source != null && !source.equals(rowSource)) {
          continue;
        }
        rows.add(
            new ParameterRow(
                def,
                g.value(def),
                rowSource,
                user
                    ? g.applyMethods.getOrDefault(def.name(), "pending-reboot")
                    : "pending-reboot"));
      }
      return RdsService.page(rows, max, marker);
    }
  }

  /**
   * ModifyDBClusterParameterGroup: the DB parameter groups' rules; the members of every cluster
   * using the group go {@code pending-reboot} for a static change, and dynamic values with {@code
   * immediate} go live on the writer.
   */
  public String modifyGroup(String name, List<ParameterChange> changes) {
    synchronized (ctx.state) {
      ParameterGroup g = requireGroup(name);
      ChangeEffect effect = rds.setParameters(g, changes, ParameterCatalog::findInCluster, null);
      for (DbCluster c : ctx.state.clusters.values()) {
        if (!c.clusterParameterGroupName.equals(g.name)) {
          continue;
        }
        for (DbInstance m : members(c)) {
          if (effect.rebootChange()) {
            m.clusterParameterApplyStatus = "pending-reboot";
          }
          if (effect.immediateChange()) {
            Map<String, String> live = new TreeMap<>(m.appliedParameters);
            for (ParameterChange ch : changes) {
              if ("immediate".equals(ch.applyMethod())) {
                RdsService.putOrRemove(live, ch.name(), ch.value());
              }
            }
            m.appliedParameters = live;
            rds.reloadLater(m, live);
          }
        }
      }
      ctx.save();
      return g.name;
    }
  }

  public void deleteGroup(String name) {
    synchronized (ctx.state) {
      ParameterGroup g = requireGroup(name);
      if (g.isDefault()) {
        throw AwsException.badRequest(
            "InvalidDBParameterGroupState",
            "Default DBClusterParameterGroup cannot be deleted: " + g.name);
      }
      TreeSet<String> users = new TreeSet<>();
      for (DbCluster c : ctx.state.clusters.values()) {
        if (c.clusterParameterGroupName.equals(g.name)) {
          users.add(c.id);
        }
      }
      if (!users.isEmpty()) {
        throw AwsException.badRequest(
            "InvalidDBParameterGroupState",
            "One or more DB clusters ("
                + String.join(", ", users)
                + ") still use the DB cluster parameter group "
                + g.name
                + ", so it cannot be deleted");
      }
      ctx.state.clusterParameterGroups.remove(g.name);
      ctx.save();
    }
  }
}
