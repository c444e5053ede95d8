package dev.onramp.sandbox.aws.rds;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.EmulatorContext;
import dev.onramp.sandbox.aws.ec2.Ec2Service;
import dev.onramp.sandbox.aws.ec2.SecurityGroup;
import dev.onramp.sandbox.aws.http.AwsException;
import dev.onramp.sandbox.aws.secrets.Secret;
import dev.onramp.sandbox.aws.secrets.SecretsService;
import dev.onramp.sandbox.postgres.PostgresServer;
import dev.onramp.sandbox.tls.SandboxCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RDS: parameter groups, DB instances and their state machine, events. Every instance is a real
 * PostgreSQL server ({@link DbInstanceServer}).
 *
 * <p>The state machine follows the AWS facts in shared/reference/aws-rds.md: ModifyDBInstance with
 * a new group switches the name at once and moves the instance to {@code modifying} (group {@code
 * applying}), then {@code available} with the group {@code pending-reboot}; dynamic parameters of
 * the new group apply at once, static ones only at a reboot without failover, which is also the
 * only thing that brings the group to {@code in-sync}. RDS never reboots on its own.
 */
public final class RdsService {
  private static final Logger LOG = LoggerFactory.getLogger(RdsService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARAMETER_GROUP_QUOTA = 50;
  static final String IDENTIFIER_RULES =
      " is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII"
          + " letters, digits, and hyphens; and must not end with a hyphen or contain two"
          + " consecutive hyphens.";

  /** Engine versions offered by DescribeDBEngineVersions; the last of each major is the default. */
  private static final Map<String, List<String>> ENGINE_VERSIONS = new LinkedHashMap<>();

  static {
    ENGINE_VERSIONS.put(
        "postgres",
        List.of(
            "14.17",
            "14.18",
            "15.12",
            "15.13",
            "16.8",
            "16.9",
            DbInstanceSpec.DEFAULT_ENGINE_VERSION,
            "17.4",
            "17.5"));
    ENGINE_VERSIONS.put("aurora-postgresql", List.of("14.15", "15.10", "16.6", "17.4"));
  }

  private final EmulatorContext ctx;
  private final Ec2Service ec2;
  private final SecretsService secrets;
  private final Path stateDir;
  private final SandboxCa ca;
  private final Map<String, DbInstanceServer> servers = new ConcurrentHashMap<>();
  private final RebootLog rebootLog = new RebootLog();

  /** Non-null in shared-server mode: every instance is a database on this one server. */
  private SharedPostgres shared;

  /**
   * Shared-server mode ({@link SharedPostgres}): instances created from now on are databases of one
   * PostgreSQL server rather than servers of their own. Called before any instance exists.
   */
  public synchronized void shareOneServer() {
    if (shared == null) {
      shared = new SharedPostgres(stateDir.resolve("shared/pgdata"), EmulatorContext.alnum(32), ca);
    }
  }

  /** Whether instances share one PostgreSQL server (the mode a benchmark reports). */
  public boolean sharesOneServer() {
    return shared != null;
  }

  /** Every reboot with when it started and ended (the emulator's log, not DescribeEvents). */
  public RebootLog rebootLog() {
    return rebootLog;
  }

  public RdsService(EmulatorContext ctx, Ec2Service ec2, SecretsService secrets, Path stateDir) {
    this.ctx = ctx;
    this.ec2 = ec2;
    this.secrets = secrets;
    this.stateDir = stateDir;
    // One CA for every instance, as RDS's servers all chain to the RDS CAs of global-bundle.pem.
    this.ca = new SandboxCa(stateDir.resolve("tls"));
  }

  // ---------------------------------------------------------------- lifecycle

  /** Default groups exist for every family we know, as in an AWS account. */
  public void ensureDefaultGroups() {
    synchronized (ctx.state) {
      for (String family : families()) {
        String name = "default." + family;
        ctx.state.parameterGroups.computeIfAbsent(
            name,
            n ->
                new ParameterGroup(
                    n, family, "Default parameter group for " + family, ctx.rdsArn("pg", n)));
      }
      // The MySQL engines' instances are described only (preflight refuses them), but their
      // default groups exist in an account as RDS's do.
      for (String family : DESCRIBE_ONLY_FAMILIES) {
        String name = "default." + family;
        ctx.state.parameterGroups.computeIfAbsent(
            name,
            n ->
                new ParameterGroup(
                    n, family, "Default parameter group for " + family, ctx.rdsArn("pg", n)));
      }
      ctx.save();
    }
  }

  /** Families of the engines the emulator describes but runs no server for. */
  static final List<String> DESCRIBE_ONLY_FAMILIES = List.of("mysql8.0", "aurora-mysql8.0");

  static Set<String> families() {
    Set<String> out = new TreeSet<>();
    ENGINE_VERSIONS.forEach(
        (engine, versions) -> versions.forEach(v -> out.add(engine + v.split("\\.")[0])));
    return out;
  }

  /**
   * Starts the PostgreSQL servers of the instances in the state, finishing any transition that was
   * cut short by a stop of the emulator: a reboot is completed (it applies the group), a
   * modification ends in {@code available}.
   */
  public void resumeInstances() {
    List<DbInstance> all;
    synchronized (ctx.state) {
      all = new ArrayList<>(ctx.state.instances.values());
    }
    for (DbInstance inst : all) {
      if (shared != null) {
        resumeShared(inst);
        continue;
      }
      boolean wasRebooting;
      Map<String, String> params;
      synchronized (ctx.state) {
        wasRebooting = "rebooting".equals(inst.status);
        params = wasRebooting ? effectiveValues(inst) : inst.appliedParameters;
      }
      if (!inst.describeOnly) {
        DbInstanceServer server = server(inst);
        server.stop(); // a server left running by an emulator that was killed
        server.start(inst.family(), params);
      }
      synchronized (ctx.state) {
        if (wasRebooting) {
          inst.appliedParameters = params;
          inst.parameterApplyStatus = "in-sync";
          if (inst.dbClusterIdentifier != null) {
            inst.clusterParameterApplyStatus = "in-sync";
          }
          event(inst, "DB instance restarted", "availability");
        } else if ("modifying".equals(inst.status)
            || "applying".equals(inst.parameterApplyStatus)) {
          inst.parameterApplyStatus = "pending-reboot";
        }
        inst.status = "available";
        ctx.save();
      }
    }
  }

  /**
   * Applies pending modifications in each instance's maintenance window, as RDS does; checked every
   * second against the real clock.
   */
  public void startMaintenanceWindows() {
    ctx.scheduler.scheduleWithFixedDelay(this::applyDueModifications, 1, 1, TimeUnit.SECONDS);
  }

  void applyDueModifications() {
    List<String> due = new ArrayList<>();
    synchronized (ctx.state) {
      java.time.Instant now = java.time.Instant.now();
      for (DbInstance inst : ctx.state.instances.values()) {
        if (!inst.pendingModifiedValues.isEmpty()
            && "available".equals(displayStatus(inst))
            && MaintenanceWindowSchedule.isOpen(inst.preferredMaintenanceWindow, now)) {
          String newClass = inst.pendingModifiedValues.remove("DBInstanceClass");
          inst.pendingModifiedValues.clear();
          if (newClass != null && !newClass.equals(inst.instanceClass)) {
            inst.instanceClass = newClass;
          }
          event(
              inst,
              "Applying modification to database instance class in the maintenance window",
              "maintenance");
          inst.status = "modifying";
          due.add(inst.id);
        }
      }
      if (!due.isEmpty()) {
        ctx.save();
      }
    }
    for (String id : due) {
      ctx.scheduler.schedule(
          () -> ctx.workers.execute(() -> finishModify(id, false)),
          ctx.timings.modifying().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Creates an instance from configuration unless the state already has it. */
  public DbInstance createInstance(DbInstanceSpec rawSpec) {
    DbInstanceSpec spec = rawSpec.withDefaults();
    if (spec.engine().startsWith("aurora")) {
      throw new IllegalArgumentException(
          "DB instance " + spec.id() + ": Aurora instances are made with their cluster");
    }
    return createInstance(spec, null, !EngineFamily.isPostgres(spec.engine()));
  }

  /**
   * Creates an instance (of cluster {@code clusterId}, or none) unless the state already has it;
   * {@code describeOnly}: no PostgreSQL server behind it (Aurora readers, MySQL engines).
   */
  DbInstance createInstance(DbInstanceSpec rawSpec, String clusterId, boolean describeOnly) {
    DbInstanceSpec spec = rawSpec.withDefaults();
    if (!EngineFamily.ENGINES.contains(spec.engine())) {
      throw new IllegalArgumentException(
          "DB instance " + spec.id() + ": unknown engine " + spec.engine());
    }
    String instanceId = spec.id() == null ? null : spec.id().toLowerCase(); // RDS lowercases ids
    if (spec.id() == null || !validIdentifier(spec.id())) {
      throw new IllegalArgumentException("DBInstanceIdentifier " + spec.id() + IDENTIFIER_RULES);
    }
    synchronized (ctx.state) {
      DbInstance existing = ctx.state.instances.get(instanceId);
      if (existing != null) {
        return existing;
      }
    }
    String family = EngineFamily.of(spec.engine(), spec.engineVersion());
    ParameterGroup group;
    synchronized (ctx.state) {
      group = ctx.state.parameterGroups.get(spec.parameterGroup());
      if (group == null && spec.parameterGroup().startsWith("default.")) {
        throw new IllegalArgumentException("unknown default group " + spec.parameterGroup());
      }
      if (group == null) {
        group =
            new ParameterGroup(
                spec.parameterGroup(),
                family,
                "Parameter group " + spec.parameterGroup(),
                ctx.rdsArn("pg", spec.parameterGroup()));
        ctx.state.parameterGroups.put(group.name, group);
      }
      if (!group.family.equals(family)) {
        throw new IllegalArgumentException(
            "parameter group " + group.name + " is " + group.family + ", not " + family);
      }
    }
    List<String> sgIds = new ArrayList<>();
    for (String sgName : spec.securityGroups()) {
      SecurityGroup sg = ec2.create(sgName, "Security group " + sgName + " for " + spec.id());
      sgIds.add(sg.groupId);
    }
    String password =
        spec.masterPassword() != null ? spec.masterPassword() : EmulatorContext.alnum(28);
    String resourceId = "db-" + EmulatorContext.alnum(26).toUpperCase();
    // RDS-managed master passwords live in a secret named rds!db-<uuid>, holding
    // {"username": ..., "password": ...}.
    String secretString;
    try {
      secretString =
          JSON.writeValueAsString(Map.of("username", spec.masterUsername(), "password", password));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Secret secret =
        secrets.create(
            "rds!db-" + UUID.randomUUID(),
            "Secret associated with primary RDS DB instance: " + ctx.rdsArn("db", spec.id()),
            secretString,
            null);

    DbInstance inst = new DbInstance();
    inst.id = instanceId;
    inst.engine = spec.engine();
    inst.dbClusterIdentifier = clusterId;
    inst.describeOnly = describeOnly;
    inst.arn = ctx.rdsArn("db", instanceId);
    inst.resourceId = resourceId;
    inst.engineVersion = spec.engineVersion();
    inst.instanceClass = spec.instanceClass();
    inst.status = "creating";
    inst.parameterGroupName = group.name;
    inst.vpcSecurityGroupIds = sgIds;
    inst.publiclyAccessible = spec.publiclyAccessible();
    inst.preferredMaintenanceWindow = spec.preferredMaintenanceWindow();
    inst.dbName = spec.dbName();
    inst.masterUsername = spec.masterUsername();
    inst.masterUserSecretArn = secret.arn;
    inst.availabilityZone = ctx.region + "a";
    inst.vpcId = ec2.vpcId();
    if (shared != null) {
      shared.ensureStarted(inst.family());
    }
    inst.port =
        shared != null ? shared.port() : spec.port() != 0 ? spec.port() : PostgresServer.freePort();
    inst.allocatedStorage = spec.allocatedStorage();
    inst.createTimeMillis = System.currentTimeMillis();
    inst.adminPassword = EmulatorContext.alnum(32);
    inst.dataDir = "instances/" + instanceId + "/pgdata";
    synchronized (ctx.state) {
      ctx.state.instances.put(inst.id, inst);
      inst.appliedParameters = effectiveValues(inst);
      ctx.save();
    }
    if (shared != null && !describeOnly) {
      shared.provision(
          inst.id, inst.masterUsername, password, inst.dbName, spec.allTablesPublication());
      shared.apply(inst.dbName, inst.appliedParameters, false);
      if (!spec.seedSql().isEmpty()) {
        shared.runAsMaster(inst.masterUsername, password, inst.dbName, spec.seedSql());
      }
    } else if (!describeOnly) {
      DbInstanceServer server = server(inst);
      server.start(inst.family(), inst.appliedParameters);
      server.provision(inst.masterUsername, password, inst.dbName, spec.allTablesPublication());
      if (!spec.seedSql().isEmpty()) {
        server.runAsMaster(inst.masterUsername, password, inst.dbName, spec.seedSql());
      }
    }
    synchronized (ctx.state) {
      inst.status = "available";
      event(inst, "DB instance created", "creation");
      ctx.save();
    }
    LOG.info("DB instance {} created on 127.0.0.1:{}", inst.id, inst.port);
    return inst;
  }

  private DbInstanceServer server(DbInstance inst) {
    if (shared != null) {
      return shared.server();
    }
    return servers.computeIfAbsent(
        inst.id,
        id ->
            new DbInstanceServer(
                id, stateDir.resolve(inst.dataDir), inst.port, inst.adminPassword, ca));
  }

  /** The CA certificate (PEM) every instance's server certificate chains to. */
  public Path caCertificate() {
    return ca.certificate();
  }

  public DbInstanceServer serverOf(String id) {
    if (shared != null) {
      return shared.server();
    }
    return servers.get(id);
  }

  /** Keeps the REPLICATION attribute in step with rds_replication membership, everywhere. */
  public void syncReplicationRoles() {
    if (shared != null) {
      shared.syncReplicationRoles(); // one server: every instance's roles at once
      return;
    }
    for (Map.Entry<String, DbInstanceServer> e : servers.entrySet()) {
      String status;
      synchronized (ctx.state) {
        DbInstance inst = ctx.state.instances.get(e.getKey());
        status = inst == null ? null : inst.status;
      }
      if (status != null && !status.equals("rebooting") && !status.equals("creating")) {
        e.getValue().syncReplicationRoles();
      }
    }
  }

  public void stopAll() {
    if (shared != null) {
      shared.close();
    }
    for (DbInstanceServer s : servers.values()) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        LOG.warn("cannot stop PostgreSQL: {}", e.getMessage());
      }
    }
  }

  /**
   * Shared-server mode after a restart of the emulator: the one server starts, and each instance's
   * parameters are put in force again (a reboot cut short completes, applying its group).
   */
  private void resumeShared(DbInstance inst) {
    boolean wasRebooting;
    Map<String, String> params;
    synchronized (ctx.state) {
      wasRebooting = "rebooting".equals(inst.status);
      params = wasRebooting ? groupValues(inst.parameterGroupName) : inst.appliedParameters;
    }
    shared.ensureStarted(inst.family());
    shared.apply(inst.dbName, params, false);
    synchronized (ctx.state) {
      inst.port = shared.port();
      if (wasRebooting) {
        inst.appliedParameters = params;
        inst.parameterApplyStatus = "in-sync";
        inst.status = "available";
        rebootLog.ended(inst.id);
      } else if ("modifying".equals(inst.status)) {
        inst.status = "available";
        inst.parameterApplyStatus = "pending-reboot";
      }
      ctx.save();
    }
  }

  // ---------------------------------------------------------------- instances

  static boolean validIdentifier(String id) {
    return id.matches("[A-Za-z][A-Za-z0-9-]{0,62}") && !id.endsWith("-") && !id.contains("--");
  }

  /** What DescribeDBInstances shows as the status: a stuck fault wins. */
  public String displayStatus(DbInstance inst) {
    return ctx.faults.stuckStatus(inst.id).orElse(inst.status);
  }

  private static String idFromArnOrId(String idOrArn) {
    if (idOrArn.startsWith("arn:")) {
      int i = idOrArn.lastIndexOf(":db:");
      return i < 0 ? idOrArn : idOrArn.substring(i + 4);
    }
    return idOrArn;
  }

  DbInstance requireInstance(String idOrArn) {
    String id = idFromArnOrId(idOrArn);
    DbInstance inst = ctx.state.instances.get(id.toLowerCase());
    if (inst == null) {
      inst = ctx.state.instances.get(id);
    }
    if (inst == null) {
      throw AwsException.notFound("DBInstanceNotFound", "DBInstance " + id + " not found.");
    }
    return inst;
  }

  /**
   * The tags of the instance or parameter group an ARN names, for IAM conditions; empty for
   * anything else (wildcards, unknown resources).
   */
  public Map<String, String> tagsOf(String arn) {
    synchronized (ctx.state) {
      try {
        return Map.copyOf(taggable(arn));
      } catch (AwsException notTaggable) {
        return Map.of();
      }
    }
  }

  /** Sets a tag on an instance (as an operator would with AddTagsToResource). */
  public void tagInstance(String id, String key, String value) {
    String arn;
    synchronized (ctx.state) {
      arn = requireInstance(id).arn;
    }
    addTags(arn, Map.of(key, value));
  }

  /**
   * Sets the instance's AllocatedStorage (GiB) at once, as a finished storage modification would:
   * the emulator's control for tests of WAL retention against the disk.
   */
  public void setAllocatedStorage(String id, int gib) {
    if (gib < 1) {
      throw new IllegalArgumentException("AllocatedStorage must be at least 1 GiB, got " + gib);
    }
    synchronized (ctx.state) {
      requireInstance(id).allocatedStorage = gib;
      ctx.save();
    }
  }

  /** A point-in-time copy for rendering outside the lock. */
  public record InstanceView(DbInstance instance, String status) {}

  private InstanceView view(DbInstance inst) {
    DbInstance copy = new DbInstance();
    copy.id = inst.id;
    copy.arn = inst.arn;
    copy.resourceId = inst.resourceId;
    copy.engine = inst.engine;
    copy.engineVersion = inst.engineVersion;
    copy.instanceClass = inst.instanceClass;
    copy.status = inst.status;
    copy.parameterGroupName = inst.parameterGroupName;
    copy.parameterApplyStatus = inst.parameterApplyStatus;
    copy.vpcSecurityGroupIds = List.copyOf(inst.vpcSecurityGroupIds);
    copy.publiclyAccessible = inst.publiclyAccessible;
    copy.preferredMaintenanceWindow = inst.preferredMaintenanceWindow;
    copy.preferredBackupWindow = inst.preferredBackupWindow;
    copy.dbName = inst.dbName;
    copy.masterUsername = inst.masterUsername;
    copy.masterUserSecretArn = inst.masterUserSecretArn;
    copy.availabilityZone = inst.availabilityZone;
    copy.vpcId = inst.vpcId;
    copy.port = inst.port;
    copy.createTimeMillis = inst.createTimeMillis;
    copy.allocatedStorage = inst.allocatedStorage;
    copy.appliedParameters = new TreeMap<>(inst.appliedParameters);
    copy.pendingModifiedValues = new TreeMap<>(inst.pendingModifiedValues);
    copy.dbClusterIdentifier = inst.dbClusterIdentifier;
    copy.clusterParameterApplyStatus = inst.clusterParameterApplyStatus;
    copy.describeOnly = inst.describeOnly;
    return new InstanceView(copy, displayStatus(inst));
  }

  /** A describe answer that lags behind a mutating call, and how many more times it is given. */
  private static final class StaleView {
    final InstanceView view;
    int remaining;

    StaleView(InstanceView view, int remaining) {
      this.view = view;
      this.remaining = remaining;
    }
  }

  /** Old answers owed under the describe-lag fault, by instance id (lock: ctx.state). */
  private final Map<String, StaleView> staleViews = new java.util.HashMap<>();

  /**
   * Before a mutating call changes {@code inst}: with a describe-lag fault in force, the next
   * describes keep answering with the instance as it is now (lock held).
   */
  private void rememberForLag(DbInstance inst) {
    int lag = ctx.faults.describeLag(inst.id);
    if (lag > 0) {
      StaleView pending = staleViews.get(inst.id);
      // A second call during the lag keeps the oldest answer, as a lagging replica would.
      InstanceView old = pending != null && pending.remaining > 0 ? pending.view : view(inst);
      staleViews.put(inst.id, new StaleView(old, lag));
    }
  }

  /** What a describe shows: the current view, or an old one still owed (lock held). */
  private InstanceView describedView(DbInstance inst) {
    StaleView stale = staleViews.get(inst.id);
    if (stale != null && stale.remaining > 0) {
      stale.remaining--;
      return stale.view;
    }
    staleViews.remove(inst.id);
    return view(inst);
  }

  public record Page<T>(List<T> items, String marker) {}

  public Page<InstanceView> describeInstances(
      String idOrArn, Map<String, List<String>> filters, Integer maxRecords, String marker) {
    int max = maxRecords(maxRecords);
    synchronized (ctx.state) {
      List<InstanceView> out = new ArrayList<>();
      if (idOrArn != null) {
        String id = idFromArnOrId(idOrArn);
        if (!validIdentifier(id)) {
          throw AwsException.invalidParameterValue(
              "The parameter DBInstanceIdentifier" + IDENTIFIER_RULES);
        }
        out.add(describedView(requireInstance(idOrArn)));
      } else {
        for (DbInstance inst : ctx.state.instances.values()) {
          out.add(describedView(inst));
        }
      }
      out.removeIf(v -> !matches(v.instance(), filters));
      return page(out, max, marker);
    }
  }

  private static boolean matches(DbInstance inst, Map<String, List<String>> filters) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      List<String> values = f.getValue();
      boolean ok =
          switch (f.getKey()) {
            case "db-instance-id" -> values.contains(inst.id) || values.contains(inst.arn);
            case "db-cluster-id" ->
                inst.dbClusterIdentifier != null
                    && (values.contains(inst.dbClusterIdentifier)
                        || values.stream()
                            .anyMatch(v -> v.endsWith(":cluster:" + inst.dbClusterIdentifier)));
            case "engine" -> values.contains(inst.engine);
            case "dbi-resource-id" -> values.contains(inst.resourceId);
            case "domain" -> false;
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
   * ModifyDBInstance. The group and security groups change whatever ApplyImmediately says (the
   * group's static parameters wait for a reboot); a new instance class waits in
   * PendingModifiedValues unless ApplyImmediately is true, and ApplyImmediately=true applies
   * <em>every</em> pending modification, not only this call's (RDS API reference, ModifyDBInstance
   * ApplyImmediately).
   */
  public InstanceView modifyInstance(
      String idOrArn,
      String groupName,
      List<String> sgIds,
      String instanceClass,
      String maintenanceWindow,
      boolean applyImmediately) {
    synchronized (ctx.state) {
      DbInstance inst = requireInstance(idOrArn);
      if (maintenanceWindow != null && !MaintenanceWindowSchedule.valid(maintenanceWindow)) {
        throw AwsException.invalidParameterValue(
            "The parameter PreferredMaintenanceWindow must be in the format"
                + " ddd:hh24:mi-ddd:hh24:mi: "
                + maintenanceWindow);
      }
      if (instanceClass != null && !instanceClass.matches("db\\.[a-z0-9-]+\\.[a-z0-9]+")) {
        throw AwsException.invalidParameterValue("Invalid DB Instance class: " + instanceClass);
      }
      ParameterGroup group = null;
      if (groupName != null) {
        group = requireGroup(groupName);
        if (!group.family.equals(inst.family())) {
          throw AwsException.badRequest(
              "InvalidParameterCombination",
              "The parameter group "
                  + group.name
                  + " with DBParameterGroupFamily "
                  + group.family
                  + " can't be used for this instance. Use a parameter group with"
                  + " DBParameterGroupFamily "
                  + inst.family()
                  + ".");
        }
      }
      if (sgIds != null) {
        for (String sg : sgIds) {
          if (!ctx.state.securityGroups.containsKey(sg)) {
            throw AwsException.invalidParameterValue(
                "Invalid security group , groupId= " + sg + ", groupName=.");
          }
        }
      }
      if (!"available".equals(displayStatus(inst))) {
        throw AwsException.badRequest(
            "InvalidDBInstanceState", "Database instance is not in available state.");
      }
      boolean groupChanged = group != null && !group.name.equals(inst.parameterGroupName);
      boolean sgChanged = sgIds != null && !sgIds.equals(inst.vpcSecurityGroupIds);
      boolean classGiven = instanceClass != null && !instanceClass.equals(inst.instanceClass);
      if (instanceClass != null
          && !classGiven
          && !applyImmediately
          && inst.pendingModifiedValues.remove("DBInstanceClass") != null) {
        // The current class asked for again replaces the queued change: nothing pending.
        ctx.save();
      }
      boolean applyPending =
          applyImmediately && (classGiven || !inst.pendingModifiedValues.isEmpty());
      if (maintenanceWindow != null
          && !maintenanceWindow.equalsIgnoreCase(inst.preferredMaintenanceWindow)) {
        // The window changes at once, whatever ApplyImmediately says.
        rememberForLag(inst);
        inst.preferredMaintenanceWindow = maintenanceWindow.toLowerCase(java.util.Locale.ROOT);
        ctx.save();
      }
      if (!groupChanged && !sgChanged && !applyPending && !classGiven) {
        return view(inst);
      }
      rememberForLag(inst);
      if (classGiven && !applyImmediately) {
        inst.pendingModifiedValues.put("DBInstanceClass", instanceClass);
        if (!groupChanged && !sgChanged) {
          ctx.save();
          return view(inst);
        }
      }
      if (applyPending) {
        Map<String, String> apply = new TreeMap<>(inst.pendingModifiedValues);
        if (classGiven) {
          apply.put("DBInstanceClass", instanceClass);
        }
        inst.pendingModifiedValues.clear();
        String newClass = apply.get("DBInstanceClass");
        if (newClass != null && !newClass.equals(inst.instanceClass)) {
          inst.instanceClass = newClass;
          event(inst, "Applying modification to database instance class", "configuration change");
        }
      }
      if (sgChanged) {
        inst.vpcSecurityGroupIds = new ArrayList<>(sgIds);
      }
      if (groupChanged) {
        // The name switches at once; its static parameters wait for a reboot (AWS model doc for
        // ModifyDBInstance.DBParameterGroupName), with or without ApplyImmediately.
        inst.parameterGroupName = group.name;
        inst.parameterApplyStatus = "applying";
        event(inst, "Updated to use DBParameterGroup " + group.name, "configuration change");
      }
      inst.status = "modifying";
      ctx.save();
      InstanceView v = view(inst);
      ctx.scheduler.schedule(
          () -> ctx.workers.execute(() -> finishModify(inst.id, groupChanged)),
          ctx.timings.modifying().toMillis(),
          TimeUnit.MILLISECONDS);
      return v;
    }
  }

  private void finishModify(String id, boolean groupChanged) {
    DbInstance inst;
    Map<String, String> live;
    synchronized (ctx.state) {
      inst = ctx.state.instances.get(id);
      if (inst == null || !"modifying".equals(inst.status)) {
        return;
      }
      live = new TreeMap<>(inst.appliedParameters);
      if (groupChanged) {
        // Dynamic parameters of the new group apply without a reboot.
        Map<String, String> values = groupValues(inst.parameterGroupName);
        for (ParameterDefinition def : ParameterCatalog.forFamily(inst.family())) {
          if (!def.isStatic()) {
            putOrRemove(live, def.name(), values.get(def.name()));
          }
        }
      }
    }
    if (!inst.describeOnly) {
      try {
        if (shared != null) {
          shared.apply(inst.dbName, live, false);
        } else {
          server(inst).reload(inst.family(), live);
        }
      } catch (RuntimeException e) {
        LOG.warn("reload of {} failed: {}", id, e.getMessage());
      }
    }
    synchronized (ctx.state) {
      inst.appliedParameters = live;
      inst.status = "available";
      if (groupChanged) {
        inst.parameterApplyStatus = "pending-reboot";
      }
      event(inst, "Finished applying modification to DB instance", "configuration change");
      ctx.save();
    }
  }

  static void putOrRemove(Map<String, String> m, String k, String v) {
    if (v == null) {
      m.remove(k);
    } else {
      m.put(k, v);
    }
  }

  public InstanceView rebootInstance(String idOrArn, boolean forceFailover) {
    synchronized (ctx.state) {
      DbInstance inst = requireInstance(idOrArn);
      if (!"available".equals(displayStatus(inst))) {
        // TF #27325 shows this text while another operation is in progress.
        throw AwsException.badRequest(
            "InvalidDBInstanceState",
            "Instance cannot currently reboot due to an in-progress management operation.");
      }
      if (forceFailover) {
        throw AwsException.badRequest(
            "InvalidParameterCombination",
            "Reboot with failover is only supported for Multi-AZ DB instances.");
      }
      rememberForLag(inst);
      inst.status = "rebooting";
      rebootLog.started(inst.id);
      ctx.save();
      InstanceView v = view(inst);
      ctx.scheduler.schedule(
          () -> ctx.workers.execute(() -> finishReboot(inst.id)),
          ctx.timings.rebooting().toMillis(),
          TimeUnit.MILLISECONDS);
      return v;
    }
  }

  private void finishReboot(String id) {
    DbInstance inst;
    Map<String, String> params;
    boolean apply;
    synchronized (ctx.state) {
      inst = ctx.state.instances.get(id);
      if (inst == null || !"rebooting".equals(inst.status)) {
        return;
      }
      apply = !ctx.faults.takeRebootWithoutApply(id);
      params = apply ? effectiveValues(inst) : new TreeMap<>(inst.appliedParameters);
      event(inst, "DB instance shutdown", "availability");
    }
    String failure = null;
    try {
      if (shared != null && !inst.describeOnly) {
        shared.apply(inst.dbName, params, true);
      } else if (!inst.describeOnly) {
        server(inst).reboot(inst.family(), params);
      }
    } catch (RuntimeException e) {
      failure = e.getMessage();
      LOG.warn("reboot of {} failed, restarting with the previous parameters: {}", id, failure);
      Map<String, String> previous;
      synchronized (ctx.state) {
        previous = new TreeMap<>(inst.appliedParameters);
      }
      if (shared != null) {
        shared.apply(inst.dbName, previous, true);
      } else {
        server(inst).reboot(inst.family(), previous);
      }
    }
    synchronized (ctx.state) {
      if (failure == null) {
        inst.appliedParameters = params;
      }
      inst.status = "available";
      rebootLog.ended(inst.id);
      inst.parameterApplyStatus =
          failure != null ? "failed-to-apply" : apply ? "in-sync" : "pending-reboot";
      if (inst.dbClusterIdentifier != null && !"pending-reboot".equals(inst.parameterApplyStatus)) {
        // The member's view of the cluster group (DBClusterMembers[].DBClusterParameterGroupStatus)
        // follows its own reboot: a reader keeps pending-reboot until it is rebooted itself.
        inst.clusterParameterApplyStatus = inst.parameterApplyStatus;
      }
      event(inst, "DB instance restarted", "availability");
      ctx.save();
    }
  }

  // ---------------------------------------------------------------- parameter groups

  ParameterGroup requireGroup(String name) {
    ParameterGroup g = ctx.state.parameterGroups.get(name.toLowerCase());
    if (g == null) {
      g = ctx.state.parameterGroups.get(name);
    }
    if (g == null) {
      throw AwsException.notFound(
          "DBParameterGroupNotFound", "DBParameterGroup not found: " + name);
    }
    return g;
  }

  // ---------------------------------------------------------------- tags

  /** RDS's limits: at most 50 tags, keys up to 128 and values up to 256 characters, no "aws:". */
  static void checkTags(Map<String, String> tags) {
    if (tags.size() > 50) {
      throw AwsException.badRequest("TagPolicyViolation", "Cannot add more than 50 tags.");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (t.getKey() == null || t.getKey().isEmpty() || t.getKey().length() > 128) {
        throw AwsException.invalidParameterValue("Tag keys must be 1 to 128 characters long.");
      }
      if (t.getKey().toLowerCase().startsWith("aws:")) {
        throw AwsException.invalidParameterValue("Tag keys may not start with 'aws:'.");
      }
      if (t.getValue() != null && t.getValue().length() > 256) {
        throw AwsException.invalidParameterValue("Tag values must be at most 256 characters long.");
      }
    }
  }

  /** ListTagsForResource: the tags of a DB instance or a DB parameter group, by ARN. */
  public Map<String, String> listTags(String resourceArn) {
    synchronized (ctx.state) {
      return new java.util.LinkedHashMap<>(taggable(resourceArn));
    }
  }

  /** AddTagsToResource: sets (or overwrites) tags on a DB instance or DB parameter group. */
  public void addTags(String resourceArn, Map<String, String> tags) {
    synchronized (ctx.state) {
      Map<String, String> current = taggable(resourceArn);
      Map<String, String> merged = new java.util.LinkedHashMap<>(current);
      merged.putAll(tags);
      checkTags(merged);
      current.putAll(tags);
      ctx.save();
    }
  }

  private Map<String, String> taggable(String arn) {
    String[] p = arn == null ? new String[0] : arn.split(":", 7);
    if (p.length != 7 || !p[0].equals("arn") || !p[2].equals("rds")) {
      throw AwsException.invalidParameterValue(
          "The specified resource name does not match an RDS resource in this region.");
    }
    switch (p[5]) {
      case "pg" -> {
        ParameterGroup g = ctx.state.parameterGroups.get(p[6]);
        if (g == null || !g.arn.equals(arn)) {
          throw AwsException.notFound(
              "DBParameterGroupNotFound", "DBParameterGroup not found: " + p[6]);
        }
        return g.tags;
      }
      case "cluster-pg" -> {
        ParameterGroup g = ctx.state.clusterParameterGroups.get(p[6]);
        if (g == null || !g.arn.equals(arn)) {
          throw AwsException.notFound(
              "DBParameterGroupNotFound", "DBClusterParameterGroup not found: " + p[6]);
        }
        return g.tags;
      }
      case "cluster" -> {
        DbCluster c = ctx.state.clusters.get(p[6]);
        if (c == null || !arn.equals(c.arn)) {
          throw AwsException.notFound(
              "DBClusterNotFoundFault", "DBCluster " + p[6] + " not found.");
        }
        return c.tags;
      }
      case "db" -> {
        DbInstance inst = ctx.state.instances.get(p[6]);
        if (inst == null || !arn.equals(inst.arn)) {
          throw AwsException.notFound("DBInstanceNotFound", "DBInstance " + p[6] + " not found.");
        }
        return inst.tags;
      }
      default ->
          throw AwsException.invalidParameterValue(
              "The specified resource name does not match an RDS resource in this region.");
    }
  }

  /**
   * The parameter values an instance runs with after a reboot: its DB parameter group's, and for an
   * Aurora member also its cluster parameter group's (where rds.logical_replication lives).
   */
  Map<String, String> effectiveValues(DbInstance inst) {
    Map<String, String> out = groupValues(inst.parameterGroupName);
    DbCluster cluster =
        inst.dbClusterIdentifier == null ? null : ctx.state.clusters.get(inst.dbClusterIdentifier);
    if (cluster != null) {
      ParameterGroup g = ctx.state.clusterParameterGroups.get(cluster.clusterParameterGroupName);
      if (g != null) {
        for (ParameterDefinition def : ParameterCatalog.forClusterFamily(g.family)) {
          putOrRemove(out, def.name(), g.value(def));
        }
      }
    }
    return out;
  }

  /** Every parameter's value in a group (user value, else engine default); nulls left out. */
  Map<String, String> groupValues(String groupName) {
    ParameterGroup g = ctx.state.parameterGroups.get(groupName);
    Map<String, String> out = new TreeMap<>();
    if (g == null) {
      return out;
    }
    for (ParameterDefinition def : ParameterCatalog.forFamily(g.family)) {
      String v = g.value(def);
      if (v != null) {
        out.put(def.name(), v);
      }
    }
    return out;
  }

  static void checkGroupName(String name) {
    if (!validIdentifier(name.replace('.', 'x')) || name.length() > 255) {
      throw AwsException.invalidParameterValue(
          "The parameter DBParameterGroupName" + IDENTIFIER_RULES);
    }
  }

  public ParameterGroup createGroup(String name, String family, String description) {
    return createGroup(name, family, description, Map.of());
  }

  public ParameterGroup createGroup(
      String name, String family, String description, Map<String, String> tags) {
    synchronized (ctx.state) {
      checkTags(tags);
      checkGroupName(name);
      if (name.toLowerCase().startsWith("default.")) {
        throw AwsException.invalidParameterValue(
            "The parameter DBParameterGroupName must not start with 'default.'.");
      }
      if (!families().contains(family)) {
        throw AwsException.invalidParameterValue(
            "The parameter DBParameterGroupFamily is not valid: " + family);
      }
      ParameterGroup g = addGroup(name.toLowerCase(), family, description);
      g.tags.putAll(tags);
      ctx.save();
      return g;
    }
  }

  private ParameterGroup addGroup(String name, String family, String description) {
    if (ctx.state.parameterGroups.containsKey(name)) {
      throw AwsException.badRequest(
          "DBParameterGroupAlreadyExists",
          "A DB parameter group named " + name + " already exists.");
    }
    long custom = ctx.state.parameterGroups.values().stream().filter(g -> !g.isDefault()).count();
    if (custom >= PARAMETER_GROUP_QUOTA) {
      throw AwsException.badRequest(
          "DBParameterGroupQuotaExceeded",
          "The request cannot be processed because it would exceed the maximum number of"
              + " DBParameterGroups.");
    }
    ParameterGroup g = new ParameterGroup(name, family, description, ctx.rdsArn("pg", name));
    ctx.state.parameterGroups.put(name, g);
    ctx.save();
    return g;
  }

  public ParameterGroup copyGroup(String source, String target, String description) {
    return copyGroup(source, target, description, Map.of());
  }

  /**
   * Like RDS, a copy does not take the source group's tags unless asked to (CopyTags is not
   * modelled); the tags given here are the copy's.
   */
  public ParameterGroup copyGroup(
      String source, String target, String description, Map<String, String> tags) {
    synchronized (ctx.state) {
      checkTags(tags);
      String sourceName =
          source.startsWith("arn:") ? source.substring(source.lastIndexOf(':') + 1) : source;
      ParameterGroup src = requireGroup(sourceName);
      checkGroupName(target);
      ParameterGroup g = addGroup(target.toLowerCase(), src.family, description);
      g.userValues.putAll(src.userValues);
      g.applyMethods.putAll(src.applyMethods);
      g.tags.putAll(tags);
      ctx.save();
      return g;
    }
  }

  public Page<ParameterGroup> describeGroups(String name, Integer maxRecords, String marker) {
    int max = maxRecords(maxRecords);
    synchronized (ctx.state) {
      List<ParameterGroup> out =
          name != null
              ? List.of(requireGroup(name))
              : new ArrayList<>(ctx.state.parameterGroups.values());
      return page(out, max, marker);
    }
  }

  /** A row of DescribeDBParameters. */
  public record ParameterRow(
      ParameterDefinition def, String value, String source, String applyMethod) {}

  public Page<ParameterRow> describeParameters(
      String groupName, String source, Integer maxRecords, String marker) {
    int max = maxRecords(maxRecords);
    if (source != null && !List.of("user", "system", "engine-default").contains(source)) {
      throw AwsException.invalidParameterValue(
          "Invalid value for Source: "
              + source
              + ". Valid values are: user, system, engine-default.");
    }
    synchronized (ctx.state) {
      ParameterGroup g = requireGroup(groupName);
      List<ParameterRow> rows = new ArrayList<>();
      for (ParameterDefinition def : ParameterCatalog.forFamily(g.family)) {
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
      return page(rows, max, marker);
    }
  }

  /** One change of ModifyDBParameterGroup. */
  public record ParameterChange(String name, String value, String applyMethod) {}

  public String modifyGroup(String name, List<ParameterChange> changes) {
    synchronized (ctx.state) {
      ParameterGroup g = requireGroup(name);
      ChangeEffect effect = setParameters(g, changes, ParameterCatalog::find, "db-parameter-group");
      for (DbInstance inst : ctx.state.instances.values()) {
        if (!inst.parameterGroupName.equals(g.name)) {
          continue;
        }
        if (effect.rebootChange()) {
          inst.parameterApplyStatus = "pending-reboot";
        }
        if (effect.immediateChange()) {
          applyImmediate(inst, changes, effect.defs());
        }
      }
      ctx.save();
      return g.name;
    }
  }

  /** What a ModifyDB(Cluster)ParameterGroup call changed. */
  record ChangeEffect(
      boolean immediateChange, boolean rebootChange, List<ParameterDefinition> defs) {}

  /**
   * Validates and records the changes of ModifyDBParameterGroup or ModifyDBClusterParameterGroup
   * (the same rules: no default group, at most 20, static parameters pending-reboot only); {@code
   * lookup} finds a parameter in the group's family (lock held).
   */
  ChangeEffect setParameters(
      ParameterGroup g,
      List<ParameterChange> changes,
      java.util.function.BiFunction<String, String, java.util.Optional<ParameterDefinition>> lookup,
      String sourceType) {
    if (g.isDefault()) {
      // ankane/pghero#66: the text RDS returns for a default group.
      throw AwsException.invalidParameterValue("Cannot modify a default parameter group.");
    }
    if (changes.isEmpty()) {
      throw AwsException.missingParameter("Parameters");
    }
    if (changes.size() > 20) {
      throw AwsException.invalidParameterValue(
          "1 validation error detected: Value at 'parameters' failed to satisfy constraint:"
              + " Member must have length less than or equal to 20");
    }
    List<ParameterDefinition> defs = new ArrayList<>();
    for (ParameterChange c : changes) {
      if (c.name() == null || c.name().isEmpty()) {
        throw AwsException.missingParameter("ParameterName");
      }
      ParameterDefinition def =
          lookup
              .apply(g.family, c.name())
              .orElseThrow(
                  () ->
                      AwsException.invalidParameterValue(
                          "Could not find parameter with name: " + c.name()));
      if (c.applyMethod() != null
          && !c.applyMethod().equals("immediate")
          && !c.applyMethod().equals("pending-reboot")) {
        throw AwsException.invalidParameterValue(
            "Invalid apply method: "
                + c.applyMethod()
                + ". Valid values: immediate, pending-reboot");
      }
      if ("immediate".equals(c.applyMethod()) && def.isStatic()) {
        // TF #216: the text RDS returns for a static parameter with ApplyMethod=immediate.
        throw AwsException.badRequest(
            "InvalidParameterCombination",
            "cannot use immediate apply method for static parameter");
      }
      if (!def.modifiable()) {
        throw AwsException.invalidParameterValue(
            "The parameter " + def.name() + " cannot be modified.");
      }
      String error = def.validate(c.value());
      if (error != null) {
        throw AwsException.invalidParameterValue(error);
      }
      defs.add(def);
    }
    boolean immediateChange = false;
    boolean rebootChange = false;
    for (ParameterChange c : changes) {
      String method = c.applyMethod() != null ? c.applyMethod() : "pending-reboot";
      putOrRemove(g.userValues, c.name(), c.value());
      if (c.value() == null) {
        g.applyMethods.remove(c.name());
      } else {
        g.applyMethods.put(c.name(), method);
      }
      if (method.equals("immediate")) {
        immediateChange = true;
      } else {
        rebootChange = true;
      }
      if (sourceType == null) {
        continue; // DescribeEvents has no source type for DB cluster parameter groups
      }
      ctx.state.events.add(
          new RdsEvent(
              g.name,
              sourceType,
              g.arn,
              "Updated parameter " + c.name() + " to " + c.value() + " with apply method " + method,
              List.of("configuration change"),
              System.currentTimeMillis()));
    }
    return new ChangeEffect(immediateChange, rebootChange, defs);
  }

  /** Applies dynamic values with ApplyMethod=immediate to a running instance (lock held). */
  void applyImmediate(
      DbInstance inst, List<ParameterChange> changes, List<ParameterDefinition> defs) {
    Map<String, String> live = new TreeMap<>(inst.appliedParameters);
    for (int i = 0; i < changes.size(); i++) {
      ParameterChange c = changes.get(i);
      if ("immediate".equals(c.applyMethod())) {
        putOrRemove(live, c.name(), c.value() != null ? c.value() : defs.get(i).defaultValue());
      }
    }
    inst.appliedParameters = live;
    String previous = inst.parameterApplyStatus;
    if ("in-sync".equals(previous)) {
      inst.parameterApplyStatus = "applying";
    }
    reloadLater(inst, live);
    ctx.scheduler.schedule(
        () -> {
          synchronized (ctx.state) {
            if ("applying".equals(inst.parameterApplyStatus)) {
              inst.parameterApplyStatus = "in-sync";
              ctx.save();
            }
          }
        },
        ctx.timings.applying().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Reloads the instance's server with {@code live} on a worker thread (no server: nothing). */
  void reloadLater(DbInstance inst, Map<String, String> live) {
    if (inst.describeOnly) {
      return;
    }
    String id = inst.id;
    String family = inst.family();
    ctx.workers.execute(
        () -> {
          try {
            if (shared != null) {
              shared.apply(inst.dbName, live, false);
            } else {
              server(inst).reload(family, live);
            }
          } catch (RuntimeException e) {
            LOG.warn("reload of {} failed: {}", id, e.getMessage());
          }
        });
  }

  public void deleteGroup(String name) {
    synchronized (ctx.state) {
      ParameterGroup g = requireGroup(name);
      if (g.isDefault()) {
        throw AwsException.badRequest(
            "InvalidDBParameterGroupState",
            "Default DBParameterGroup cannot be deleted: " + g.name);
      }
      for (DbInstance inst : ctx.state.instances.values()) {
        if (inst.parameterGroupName.equals(g.name)) {
          throw AwsException.badRequest(
              "InvalidDBParameterGroupState",
              "One or more database instances are still members of this parameter group "
                  + g.name
                  + ", so the group cannot be deleted");
        }
      }
      ctx.state.parameterGroups.remove(g.name);
      ctx.save();
    }
  }

  // ---------------------------------------------------------------- engine versions, events

  /** A row of DescribeDBEngineVersions. */
  public record EngineVersion(String engine, String version, String family, boolean isDefault) {}

  public List<EngineVersion> describeEngineVersions(
      String engine, String version, String family, boolean defaultOnly) {
    List<EngineVersion> out = new ArrayList<>();
    ENGINE_VERSIONS.forEach(
        (eng, versions) -> {
          Map<String, String> lastOfMajor = new LinkedHashMap<>();
          versions.forEach(v -> lastOfMajor.put(v.split("\\.")[0], v));
          for (String v : versions) {
            String major = v.split("\\.")[0];
            EngineVersion ev =
                new EngineVersion(eng, v, eng + major, lastOfMajor.get(major).equals(v));
            if (engine != null && !engine.equals(eng)) {
              continue;
            }
            if (version != null && !v.equals(version) && !major.equals(version)) {
              continue;
            }
            if (family != null && !family.equals(ev.family())) {
              continue;
            }
            out.add(ev);
          }
        });
    if (defaultOnly) {
      // One default per engine (per major when a major version is asked for).
      List<EngineVersion> defaults = new ArrayList<>();
      Map<String, EngineVersion> last = new LinkedHashMap<>();
      for (EngineVersion ev : out) {
        if (ev.isDefault()) {
          last.put(version != null ? ev.family() : ev.engine(), ev);
        }
      }
      defaults.addAll(last.values());
      return defaults;
    }
    return out;
  }

  public List<RdsEvent> describeEvents(
      String sourceId, String sourceType, Long startMillis, Long endMillis, Integer durationMin) {
    if (sourceType != null
        && !List.of(
                "db-instance",
                "db-parameter-group",
                "db-security-group",
                "db-snapshot",
                "db-cluster",
                "db-cluster-snapshot",
                "custom-engine-version",
                "db-proxy",
                "blue-green-deployment")
            .contains(sourceType)) {
      throw AwsException.invalidParameterValue("Invalid value for SourceType: " + sourceType);
    }
    long now = System.currentTimeMillis();
    long end = endMillis != null ? endMillis : now;
    long start =
        startMillis != null
            ? startMillis
            : end - (durationMin != null ? durationMin : 60) * 60_000L;
    synchronized (ctx.state) {
      List<RdsEvent> out = new ArrayList<>();
      for (RdsEvent e : ctx.state.events) {
        if (sourceId != null && !sourceId.equals(e.sourceIdentifier())) {
          continue;
        }
        if (sourceType != null && !sourceType.equals(e.sourceType())) {
          continue;
        }
        if (e.dateMillis() < start || e.dateMillis() > end) {
          continue;
        }
        out.add(e);
      }
      return out;
    }
  }

  void event(DbInstance inst, String message, String category) {
    ctx.state.events.add(
        new RdsEvent(
            inst.id,
            "db-instance",
            inst.arn,
            message,
            List.of(category),
            System.currentTimeMillis()));
  }

  // ---------------------------------------------------------------- paging

  static int maxRecords(Integer maxRecords) {
    if (maxRecords == null) {
      return 100;
    }
    if (maxRecords < 20 || maxRecords > 100) {
      throw AwsException.invalidParameterValue(
          "Invalid value " + maxRecords + " for MaxRecords. Must be between 20 and 100");
    }
    return maxRecords;
  }

  /** Markers are opaque to clients; ours encode the offset. */
  static <T> Page<T> page(List<T> all, int max, String marker) {
    int from = 0;
    if (marker != null && !marker.isEmpty()) {
      try {
        from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker)));
      } catch (RuntimeException e) {
        throw AwsException.invalidParameterValue("Invalid marker: " + marker);
      }
      if (from < 0 || from > all.size()) {
        throw AwsException.invalidParameterValue("Invalid marker: " + marker);
      }
    }
    int to = Math.min(all.size(), from + max);
    String next =
        to < all.size()
            ? Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Integer.toString(to).getBytes())
            : null;
    return new Page<>(new ArrayList<>(all.subList(from, to)), next);
  }
}
