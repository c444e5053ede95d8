package dev.onramp.workflows;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.activities.materialize.ClusterSpec;
import dev.onramp.activities.materialize.ClusterUtilization;
import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.MaterializePlan;
import dev.onramp.activities.materialize.MaterializeRemoval;
import dev.onramp.activities.materialize.MzSecretSpec;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.materialize.SourceSyntax;
import dev.onramp.activities.network.IngressRemoval;
import dev.onramp.activities.network.IngressRequest;
import dev.onramp.activities.network.IngressResult;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.notify.FindingsNotice;
import dev.onramp.activities.notify.NotifyActivities;
import dev.onramp.activities.notify.PersonNotice;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.InstanceState;
import dev.onramp.activities.rds.ParameterGroupCheck;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.rds.ParameterGroupRemoval;
import dev.onramp.activities.rds.ParameterGroupRequest;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.rds.RebootOutcome;
import dev.onramp.activities.secrets.ReplicationSecret;
import dev.onramp.activities.secrets.ReplicationSecretRequest;
import dev.onramp.activities.secrets.SecretRemoval;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import dev.onramp.activities.upstream.PreflightReport;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamObjects;
import dev.onramp.activities.upstream.UpstreamRemoval;
import dev.onramp.activities.upstream.UpstreamRequest;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.verification.ReverificationActivities;
import dev.onramp.activities.verification.ScheduleRemoval;
import dev.onramp.activities.verification.ScheduleRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A small in-memory model of one RDS instance, Secrets Manager and Materialize, driven by the test
 * server's clock so that "a reboot takes five hours" means five hours of workflow time. It
 * implements every activity interface the workflow calls; tests set its knobs and read its log.
 */
final class FakeWorld {
  final TestWorkflowEnvironment env;
  final List<String> calls = new ArrayList<>();
  final Map<String, ApplicationFailure> failures = new HashMap<>();

  // RDS instance
  String instanceId = "db-1";
  String engine = "postgres";

  /** The instance's Aurora cluster as described, or null for an RDS instance. */
  DbInstanceInfo.ClusterMembership cluster;

  String engineVersion = "16.3";
  String status = "available";
  String parameterGroup = "default.postgres16";
  String applyStatus = "in-sync";
  boolean publiclyAccessible = true;
  String maintenanceWindow = "sun:05:00-sun:06:00";
  Duration modifyDuration = Duration.ofMinutes(2);
  Duration rebootDuration = Duration.ofMinutes(5);
  boolean rebootAppliesParameters = true;

  /** How many reboots, from the next one on, restart without applying the group. */
  int rebootsThatDoNotApply;

  /**
   * Like RDS, describes lag behind ModifyDBInstance and RebootDBInstance: the next {@code
   * describeLag} reads after one answer with the state from before it.
   */
  int describeLag;

  private Observed staleView;
  private int staleReads;

  /** When each restart finished (RDS's "DB instance restarted" event). */
  final List<Instant> restartEvents = new ArrayList<>();

  List<String> pendingModifications = List.of();

  String instanceClass = "db.t4g.micro";
  final Map<String, Boolean> groupSetsLogical = new HashMap<>();
  final Map<String, Set<String>> groupMembers = new HashMap<>();
  boolean logicalReplicationOn;

  /** Re-verification: the upstream's drift check cannot connect. */
  boolean upstreamUnreachable;

  long modifyEndsAt;
  long rebootEndsAt = -1;
  final List<Instant> reboots = new ArrayList<>();

  // Secrets
  final Map<String, String> secrets = new HashMap<>();
  final String adminPassword = "admin-" + UUID.randomUUID();

  // Identifier values the activities were given, as "activity.argument=value".
  final List<String> namesGiven = new ArrayList<>();

  // Materialize
  final Set<String> materializeObjects = new HashSet<>();
  final Set<String> ingressRules = new HashSet<>();
  List<String> egressCidrs = List.of("203.0.113.10/32", "203.0.113.11/32");
  String clusterSize;
  volatile boolean snapshotCommitted;

  /** When set, the snapshot wait counts down {@code snapshotRunning} and holds until released. */
  volatile java.util.concurrent.CountDownLatch snapshotRunning;

  volatile java.util.concurrent.CountDownLatch snapshotRelease;

  // Temporal schedules that exist
  final Set<String> schedules = new HashSet<>();

  /** The requests the re-verification schedule was pointed at, by table changes. */
  final List<dev.onramp.activities.verification.ScheduleTablesChange> retargeted =
      new ArrayList<>();

  // Upstream: a long-running reader holds a table until this test time (millis), or -1.
  long upstreamLockHeldUntil = -1;
  // Upstream: publications and roles that exist (as "publication <name>", "role <name>").
  final Set<String> upstreamObjects = new HashSet<>();

  // Upstream: what ensureUpstreamObjects notes (e.g. FOR ALL TABLES refused), or null.
  String upstreamNote;

  FakeWorld(TestWorkflowEnvironment env) {
    this.env = env;
    groupSetsLogical.put("default.postgres16", false);
    groupMembers.put("default.postgres16", new HashSet<>(Set.of(instanceId)));
    secrets.put("arn:aws:secretsmanager:us-east-1:1:secret:rds!db-1", adminPassword);
  }

  Object[] activities() {
    return new Object[] {
      new Rds(),
      new Network(),
      new Secrets(),
      new Upstream(),
      new Materialize(),
      new Reverify(),
      new Notify(),
      new WalKeepSize()
    };
  }

  /** max_slot_wal_keep_size as preflight reads it (null: as before it was read) and storage. */
  String walKeepSize;

  Integer allocatedStorageGib;

  final class WalKeepSize implements dev.onramp.activities.rds.WalKeepSizeActivities {
    @Override
    public dev.onramp.activities.rds.WalKeepSizeOutcome setMaxSlotWalKeepSize(
        dev.onramp.activities.rds.WalKeepSizeRequest request) {
      record("rds.setMaxSlotWalKeepSize " + request.megabytes());
      boolean ours = parameterGroup.startsWith("onramp-");
      if (ours) {
        walKeepSize = Long.toString(request.megabytes());
      }
      return new dev.onramp.activities.rds.WalKeepSizeOutcome(
          parameterGroup,
          ours,
          ours,
          null,
          ours
              ? "set max_slot_wal_keep_size to " + request.megabytes() + " MB in " + parameterGroup
              : "max_slot_wal_keep_size not set: DB parameter group "
                  + parameterGroup
                  + " is not onramp's");
    }
  }

  String replicationPassword() {
    return secrets.get("onramp/us-east-1/db-1/materialize");
  }

  private long now() {
    return env.currentTimeMillis();
  }

  /**
   * When set, the first fake call whose name starts with this counts {@code gateEntered} down and
   * blocks until {@code gateRelease}: an activity in flight, for cancellation tests.
   */
  volatile String gateCall;

  final java.util.concurrent.CountDownLatch gateEntered =
      new java.util.concurrent.CountDownLatch(1);
  final java.util.concurrent.CountDownLatch gateRelease =
      new java.util.concurrent.CountDownLatch(1);

  private void record(String call) {
    ApplicationFailure f;
    synchronized (this) {
      calls.add(call);
      f = failures.get(call);
    }
    String gate = gateCall;
    if (gate != null && call.startsWith(gate)) {
      gateCall = null;
      gateEntered.countDown();
      try {
        gateRelease.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (f != null) {
      throw f;
    }
  }

  /** Applies a finished reboot: only then does the group's static parameter take effect. */
  private void settleReboot() {
    if (rebootEndsAt >= 0 && now() >= rebootEndsAt) {
      status = "available";
      if (rebootsThatDoNotApply > 0) {
        rebootsThatDoNotApply--;
      } else if (rebootAppliesParameters) {
        applyStatus = "in-sync";
        logicalReplicationOn = groupSetsLogical.getOrDefault(parameterGroup, false);
      }
      restartEvents.add(Instant.ofEpochMilli(rebootEndsAt));
      rebootEndsAt = -1;
    }
    if (status.equals("modifying") && now() >= modifyEndsAt) {
      status = "available";
    }
  }

  /** What DescribeDBInstances shows. */
  record Observed(String status, String group, String applyStatus) {}

  /** Before a mutating call: the next reads may still show this. */
  private void lagFromHere() {
    if (describeLag > 0) {
      staleView = new Observed(status, parameterGroup, applyStatus);
      staleReads = describeLag;
    }
  }

  private Observed read() {
    settleReboot();
    if (staleReads > 0) {
      staleReads--;
      return staleView;
    }
    return new Observed(status, parameterGroup, applyStatus);
  }

  final class Rds implements RdsActivities {
    @Override
    public List<Finding> parameterGroupDrift(ParameterGroupCheck check) {
      record("rds.parameterGroupDrift");
      return List.of();
    }

    @Override
    public DbInstanceInfo describeInstance(String region, String id) {
      record("rds.describeInstance");
      Observed o = read();
      return new DbInstanceInfo(
          id,
          engine,
          engineVersion,
          o.status(),
          "db-1.abc.us-east-1.rds.amazonaws.com",
          5432,
          "shop",
          "postgres",
          "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-1",
          List.of(new DbInstanceInfo.ParameterGroupStatus(o.group(), o.applyStatus())),
          List.of("sg-1"),
          publiclyAccessible,
          maintenanceWindow,
          cluster == null ? null : cluster.dbClusterId(),
          pendingModifications,
          allocatedStorageGib,
          cluster);
    }

    @Override
    public ParameterGroupPlan planParameterGroup(String region, String id) {
      record("rds.planParameterGroup");
      String target = "onramp-postgres16-" + id;
      if (groupSetsLogical.getOrDefault(parameterGroup, false)) {
        return new ParameterGroupPlan(
            ParameterGroupPlan.Action.ALREADY_SET,
            "postgres16",
            parameterGroup,
            parameterGroup,
            "already set");
      }
      if (parameterGroup.startsWith("default.")) {
        return new ParameterGroupPlan(
            ParameterGroupPlan.Action.CREATE, "postgres16", parameterGroup, target, "create");
      }
      if (groupMembers.get(parameterGroup).size() > 1) {
        return new ParameterGroupPlan(
            ParameterGroupPlan.Action.COPY, "postgres16", parameterGroup, target, "copy");
      }
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.MODIFY_IN_PLACE,
          "postgres16",
          parameterGroup,
          parameterGroup,
          "modify");
    }

    @Override
    public void prepareParameterGroup(String region, ParameterGroupPlan plan) {
      record("rds.prepareParameterGroup:" + plan.action());
      groupMembers.putIfAbsent(plan.targetGroup(), new HashSet<>());
      groupSetsLogical.put(plan.targetGroup(), true);
    }

    @Override
    public void associateParameterGroup(
        String region, String id, String group, boolean applyPendingModifications) {
      record("rds.associateParameterGroup:" + group);
      if (!pendingModifications.isEmpty() && !applyPendingModifications) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.PENDING_MODIFICATIONS, "pending " + pendingModifications);
      }
      if (!group.equals(parameterGroup)) {
        lagFromHere();
        groupMembers.get(parameterGroup).remove(id);
        groupMembers.get(group).add(id);
        parameterGroup = group;
        status = "modifying";
        modifyEndsAt = now() + modifyDuration.toMillis();
        for (String p : pendingModifications) {
          if (p.startsWith("DBInstanceClass=")) {
            instanceClass = p.substring("DBInstanceClass=".length());
          }
        }
        pendingModifications = List.of();
      }
      applyStatus = "pending-reboot";
    }

    @Override
    public InstanceState checkAvailable(String region, String id) {
      record("rds.checkAvailable");
      Observed o = read();
      if (!o.status().equals("available")) {
        throw OnboardingFailures.notReady("instance " + id + " is " + o.status());
      }
      return new InstanceState(o.status(), o.group(), o.applyStatus());
    }

    @Override
    public InstanceState checkAssociated(String region, String id, String group) {
      record("rds.checkAssociated");
      Observed first = read();
      Observed second = read();
      if (!first.equals(second)
          || !group.equals(first.group())
          || !first.status().equals("available")) {
        throw OnboardingFailures.notReady("instance " + id + " shows " + first + ", " + second);
      }
      return new InstanceState(first.status(), first.group(), first.applyStatus());
    }

    @Override
    public RebootOutcome reboot(String region, String id, Instant notBefore) {
      record("rds.reboot");
      lagFromHere();
      reboots.add(Instant.ofEpochMilli(now()));
      status = "rebooting";
      rebootEndsAt = now() + rebootDuration.toMillis();
      return RebootOutcome.REBOOTED;
    }

    @Override
    public InstanceState checkRebooted(String region, String id, String group, Instant since) {
      record("rds.checkRebooted");
      settleReboot();
      if (since != null && restartEvents.stream().noneMatch(t -> !t.isBefore(since))) {
        throw OnboardingFailures.notReady("instance " + id + " is " + read().status());
      }
      Observed first = read();
      Observed second = read();
      if (!first.equals(second) || !first.status().equals("available")) {
        throw OnboardingFailures.notReady("instance " + id + " shows " + first + ", " + second);
      }
      return new InstanceState(first.status(), first.group(), first.applyStatus());
    }

    @Override
    public LedgerEntry convergeParameterGroup(ParameterGroupRequest request) {
      ParameterGroupPlan plan = request.plan();
      record("rds.convergeParameterGroup:" + plan.action());
      String target = plan.targetGroup();
      return switch (plan.action()) {
        case ALREADY_SET -> LedgerEntry.reused(ResourceKind.PARAMETER_GROUP, target);
        case MODIFY_IN_PLACE -> {
          groupSetsLogical.put(target, true);
          yield LedgerEntry.changed(
              ResourceKind.PARAMETER_GROUP, target, "rds.logical_replication=0");
        }
        case CREATE, COPY -> {
          if (groupMembers.containsKey(target)) {
            yield LedgerEntry.reused(ResourceKind.PARAMETER_GROUP, target);
          }
          groupMembers.put(target, new HashSet<>());
          groupSetsLogical.put(target, true);
          yield new LedgerEntry(
              ResourceKind.PARAMETER_GROUP,
              target,
              dev.onramp.activities.ledger.Outcome.CREATED,
              plan.action() == ParameterGroupPlan.Action.COPY ? plan.currentGroup() : null,
              Map.of());
        }
      };
    }

    @Override
    public LedgerEntry convergeAssociation(AssociationRequest request) {
      String previous = parameterGroup;
      associateParameterGroup(
          request.region(),
          request.dbInstanceId(),
          request.parameterGroup(),
          request.applyPendingModifications());
      calls.set(calls.size() - 1, "rds.convergeAssociation:" + request.parameterGroup());
      return previous.equals(request.parameterGroup())
          ? LedgerEntry.reused(ResourceKind.PARAMETER_GROUP_ASSOCIATION, request.dbInstanceId())
          : LedgerEntry.changed(
              ResourceKind.PARAMETER_GROUP_ASSOCIATION, request.dbInstanceId(), previous);
    }

    @Override
    public Removal removeParameterGroup(ParameterGroupRemoval removal) {
      throw new UnsupportedOperationException("FakeWorld: issue 13, slice aws");
    }
  }

  final class Network implements NetworkActivities {
    @Override
    public void checkEgressCidrs(List<String> cidrs) {
      record("network.checkEgressCidrs");
      EgressCidrGuard.DEFAULT.check(cidrs);
    }

    @Override
    public IngressResult authorizeIngress(
        String region, List<String> groups, int port, List<String> cidrs) {
      record("network.authorizeIngress");
      List<String> added = new ArrayList<>();
      List<String> present = new ArrayList<>();
      for (String g : groups) {
        for (String c : cidrs) {
          String rule = g + " tcp/" + port + " from " + c;
          (ingressRules.add(rule) ? added : present).add(rule);
        }
      }
      return new IngressResult(added, present);
    }

    @Override
    public List<LedgerEntry> convergeIngress(IngressRequest request) {
      record("network.convergeIngress");
      List<LedgerEntry> out = new ArrayList<>();
      for (String g : request.securityGroupIds()) {
        for (String c : request.cidrs()) {
          String rule = g + " tcp/" + request.port() + " from " + c;
          LedgerEntry e =
              ingressRules.add(rule)
                  ? LedgerEntry.created(ResourceKind.INGRESS_RULE, rule)
                  : LedgerEntry.reused(ResourceKind.INGRESS_RULE, rule);
          out.add(
              e.withAttributes(
                  Map.of("securityGroupId", g, "port", "" + request.port(), "cidr", c)));
        }
      }
      return out;
    }

    @Override
    public List<PlannedChange> planIngress(IngressRequest request) {
      record("network.planIngress");
      List<PlannedChange> out = new ArrayList<>();
      for (String g : request.securityGroupIds()) {
        for (String c : request.cidrs()) {
          String rule = g + " tcp/" + request.port() + " from " + c;
          out.add(
              ingressRules.contains(rule)
                  ? new PlannedChange(ResourceKind.INGRESS_RULE, rule, PlanAction.REUSE, "present")
                  : new PlannedChange(
                      ResourceKind.INGRESS_RULE, rule, PlanAction.CREATE, "missing"));
        }
      }
      return out;
    }

    @Override
    public List<Finding> ingressDrift(IngressRequest request) {
      record("network.ingressDrift");
      List<Finding> out = new ArrayList<>();
      for (String g : request.securityGroupIds()) {
        for (String c : request.cidrs()) {
          String rule = g + " tcp/" + request.port() + " from " + c;
          if (!ingressRules.contains(rule)) {
            out.add(
                new Finding(
                    Severity.CRITICAL,
                    ResourceKind.INGRESS_RULE,
                    rule,
                    "no ingress rule for " + c,
                    "aws ec2 authorize-security-group-ingress ..."));
          }
        }
      }
      return out;
    }

    @Override
    public List<Removal> removeIngress(IngressRemoval removal) {
      throw new UnsupportedOperationException("FakeWorld: issue 13, slice aws");
    }
  }

  final class Secrets implements SecretsActivities {
    @Override
    public List<Finding> replicationSecretDrift(ReplicationSecretRequest request) {
      record("secrets.replicationSecretDrift");
      return List.of();
    }

    @Override
    public SecretRef ensureReplicationPassword(
        String region, String dbInstanceId, String name, String username) {
      record("secrets.ensureReplicationPassword");
      secrets.computeIfAbsent(name, n -> "repl-" + UUID.randomUUID());
      return SecretRef.secretsManager("arn:aws:secretsmanager:us-east-1:1:secret:" + name);
    }

    @Override
    public void checkReplicationSecret(String region, String name, String username) {
      record("secrets.checkReplicationSecret");
    }

    @Override
    public void checkReadable(String region, SecretRef ref) {
      record("secrets.checkReadable");
      if (!secrets.containsKey(ref.id())) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.SECRET_NOT_FOUND, "secret " + ref.id() + " not found");
      }
    }

    @Override
    public ReplicationSecret convergeReplicationSecret(ReplicationSecretRequest request) {
      record("secrets.convergeReplicationSecret");
      String name = request.secretName();
      String arn = "arn:aws:secretsmanager:us-east-1:1:secret:" + name;
      boolean created = !secrets.containsKey(name);
      secrets.computeIfAbsent(name, n -> "repl-" + UUID.randomUUID());
      LedgerEntry entry =
          (created
                  ? LedgerEntry.created(ResourceKind.REPLICATION_SECRET, name)
                  : LedgerEntry.reused(ResourceKind.REPLICATION_SECRET, name))
              .withAttributes(Map.of("arn", arn));
      return new ReplicationSecret(SecretRef.secretsManager(arn), entry);
    }

    @Override
    public PlannedChange planReplicationSecret(ReplicationSecretRequest request) {
      record("secrets.planReplicationSecret");
      String name = request.secretName();
      return secrets.containsKey(name)
          ? new PlannedChange(ResourceKind.REPLICATION_SECRET, name, PlanAction.REUSE, "exists")
          : new PlannedChange(ResourceKind.REPLICATION_SECRET, name, PlanAction.CREATE, "missing");
    }

    @Override
    public Removal removeReplicationSecret(SecretRemoval removal) {
      throw new UnsupportedOperationException("FakeWorld: issue 13, slice aws");
    }
  }

  final class Upstream implements UpstreamActivities {
    @Override
    public LogicalReplicationStatus checkLogicalReplication(UpstreamTarget target) {
      record("upstream.checkLogicalReplication");
      settleReboot();
      return logicalReplicationOn
          ? new LogicalReplicationStatus("on", "logical")
          : new LogicalReplicationStatus("off", "replica");
    }

    @Override
    public void checkUpstreamOwnership(
        UpstreamTarget target, TableSelection tables, String publication, String user) {
      record("upstream.checkUpstreamOwnership");
    }

    @Override
    public PreflightReport preflight(UpstreamTarget target, TableSelection tables) {
      record("upstream.preflight");
      // The activity resolves the admin secret itself; only the reference crosses the boundary.
      if (!secrets.containsKey(target.adminCredentials().id())) {
        throw new IllegalStateException("admin secret not resolvable");
      }
      return new PreflightReport(
          "16.3", List.of("public.orders", "public.customers"), List.of(), null, walKeepSize);
    }

    @Override
    public List<String> verify(
        UpstreamTarget target, TableSelection tables, String publication, String user) {
      record("upstream.verify");
      return logicalReplicationOn ? List.of() : List.of("publication " + publication + " drifted");
    }

    @Override
    public UpstreamObjects ensureUpstreamObjects(
        UpstreamTarget target,
        TableSelection tables,
        String publication,
        String user,
        SecretRef password) {
      record("upstream.ensureUpstreamObjects");
      namesGiven.add("upstream.database=" + target.database());
      namesGiven.add("upstream.publication=" + publication);
      namesGiven.add("upstream.user=" + user);
      if (now() < upstreamLockHeldUntil) {
        throw ApplicationFailure.newFailure(
            "waiting for a lock on public.orders (REPLICA IDENTITY FULL on public.orders: canceling"
                + " statement due to lock timeout)",
            OnboardingFailures.UPSTREAM_LOCK_BUSY);
      }
      return new UpstreamObjects(
          publication,
          user,
          List.of("public.orders", "public.customers"),
          List.of(),
          upstreamNote,
          List.of(new QualifiedName("public", "orders"), new QualifiedName("public", "customers")));
    }

    @Override
    public UpstreamObjects convergeUpstream(UpstreamRequest request) {
      UpstreamObjects objects =
          ensureUpstreamObjects(
              request.target(),
              request.tables(),
              request.publication(),
              request.replicationUser(),
              request.replicationPassword());
      calls.set(calls.size() - 1, "upstream.convergeUpstream");
      List<LedgerEntry> ledger = new ArrayList<>();
      String db = request.target().database();
      ledger.add(
          entry(ResourceKind.PUBLICATION, request.publication(), "publication")
              .withAttributes(Map.of("database", db)));
      ledger.add(
          entry(ResourceKind.REPLICATION_ROLE, request.replicationUser(), "role")
              .withAttributes(Map.of("database", db)));
      return new UpstreamObjects(
          objects.publication(),
          objects.replicationUser(),
          objects.tables(),
          objects.changes(),
          objects.note(),
          objects.tableNames(),
          ledger);
    }

    private LedgerEntry entry(ResourceKind kind, String name, String what) {
      return upstreamObjects.add(what + " " + name)
          ? LedgerEntry.created(kind, name)
          : LedgerEntry.reused(kind, name);
    }

    @Override
    public dev.onramp.activities.upstream.SnapshotEstimate estimateSnapshot(
        UpstreamRequest request) {
      record("upstream.estimateSnapshot");
      return dev.onramp.activities.upstream.SnapshotEstimate.of(
          List.of(
              new dev.onramp.activities.upstream.TableEstimate(
                  "orders", 40L, 16384, dev.onramp.activities.upstream.TableEstimate.RELTUPLES),
              new dev.onramp.activities.upstream.TableEstimate(
                  "customers", 2L, 8192, dev.onramp.activities.upstream.TableEstimate.COUNT)));
    }

    @Override
    public List<PlannedChange> planUpstream(UpstreamRequest request) {
      record("upstream.planUpstream");
      return List.of(
          planned(ResourceKind.PUBLICATION, request.publication(), "publication"),
          planned(ResourceKind.REPLICATION_ROLE, request.replicationUser(), "role"));
    }

    private PlannedChange planned(ResourceKind kind, String name, String what) {
      return upstreamObjects.contains(what + " " + name)
          ? new PlannedChange(kind, name, PlanAction.REUSE, "exists")
          : new PlannedChange(kind, name, PlanAction.CREATE, "missing");
    }

    @Override
    public List<Finding> upstreamDrift(UpstreamRequest request) {
      record("upstream.upstreamDrift");
      if (upstreamUnreachable) {
        throw ApplicationFailure.newFailure("Connection refused", "UPSTREAM_UNREACHABLE");
      }
      return logicalReplicationOn
          ? List.of()
          : List.of(
              new Finding(
                  Severity.CRITICAL,
                  ResourceKind.PARAMETER_GROUP,
                  request.target().dbInstanceId(),
                  "logical replication is off",
                  "aws rds modify-db-parameter-group ..."));
    }

    @Override
    public List<Removal> removeUpstream(UpstreamRemoval removal) {
      throw new UnsupportedOperationException("FakeWorld: issue 13, slice upstream");
    }

    @Override
    public dev.onramp.workflows.tables.TableChangeOutcome changeTables(
        dev.onramp.activities.upstream.UpstreamTableChange change) {
      throw new UnsupportedOperationException("FakeWorld: issue 14, slice tables");
    }
  }

  final class Materialize implements MaterializeActivities {
    @Override
    public void checkMaterializeOwnership(
        String cluster, String secret, String connection, String source, String resizeTo) {
      record("materialize.checkMaterializeOwnership");
    }

    @Override
    public MaterializeInfo describe() {
      record("materialize.describe");
      return new MaterializeInfo("v26.1.0", SourceSyntax.SUBSOURCES, egressCidrs);
    }

    @Override
    public List<String> checkPlan(MaterializePlan plan) {
      record("materialize.checkPlan");
      return List.of();
    }

    @Override
    public void ensureCluster(String cluster, String size) {
      record("materialize.ensureCluster");
      if (materializeObjects.add("cluster " + cluster)) {
        clusterSize = size;
      }
    }

    @Override
    public void ensureSecret(String name, String region, SecretRef password) {
      record("materialize.ensureSecret");
      materializeObjects.add("secret " + name);
    }

    @Override
    public void ensureConnection(ConnectionSpec spec) {
      record("materialize.ensureConnection");
      namesGiven.add("materialize.connection=" + spec.name());
      namesGiven.add("materialize.connection.database=" + spec.database());
      namesGiven.add("materialize.connection.secret=" + spec.passwordSecret());
      materializeObjects.add("connection " + spec.name());
    }

    @Override
    public SourceInfo ensureSource(SourceSpec spec) {
      record("materialize.ensureSource");
      namesGiven.add("materialize.source=" + spec.name());
      namesGiven.add("materialize.source.cluster=" + spec.cluster());
      namesGiven.add("materialize.source.publication=" + spec.publication());
      boolean created = materializeObjects.add("source " + spec.name());
      return new SourceInfo(spec.name(), List.of("orders", "customers"), created);
    }

    @Override
    public SnapshotStatus awaitSnapshot(
        String source, Duration pollInterval, Duration stalledGrace) {
      record("materialize.awaitSnapshot");
      Activity.getExecutionContext().heartbeat(new SnapshotStatus("running", false, 42, 21));
      if (snapshotRunning != null) {
        snapshotRunning.countDown();
        try {
          snapshotRelease.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      snapshotCommitted = true;
      return new SnapshotStatus("running", true, 42, 42);
    }

    /** Refuses, as the real activity does, while the snapshot is not committed. */
    @Override
    public ClusterUtilization shrinkAfterSnapshot(
        dev.onramp.activities.materialize.ClusterShrink shrink) {
      record("materialize.shrinkAfterSnapshot:" + shrink.size());
      if (!snapshotCommitted) {
        throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
            "snapshot not committed", OnboardingFailures.SNAPSHOT_NOT_COMMITTED);
      }
      ClusterUtilization before =
          new ClusterUtilization(shrink.cluster(), clusterSize, 55.0, 60.0, clusterSize);
      clusterSize = shrink.size();
      return before;
    }

    @Override
    public SnapshotStatus sourceStatus(String source) {
      record("materialize.sourceStatus");
      return new SnapshotStatus(
          materializeObjects.contains("source " + source) ? "running" : "dropped", true, 42, 42);
    }

    @Override
    public ClusterUtilization clusterUtilization(String cluster) {
      record("materialize.clusterUtilization");
      return new ClusterUtilization(cluster, clusterSize, 12.0, 30.0, "25cc");
    }

    @Override
    public void resizeCluster(String cluster, String size) {
      record("materialize.resizeCluster");
      clusterSize = size;
    }

    @Override
    public LedgerEntry convergeCluster(ClusterSpec spec) {
      record("materialize.convergeCluster");
      boolean created = materializeObjects.add("cluster " + spec.name());
      if (created) {
        clusterSize = spec.size();
      }
      return outcome(ResourceKind.MZ_CLUSTER, spec.name(), created)
          .withAttributes(Map.of("size", spec.size()));
    }

    @Override
    public LedgerEntry convergeSecret(MzSecretSpec spec) {
      record("materialize.convergeSecret");
      return outcome(
          ResourceKind.MZ_SECRET, spec.name(), materializeObjects.add("secret " + spec.name()));
    }

    @Override
    public LedgerEntry convergeConnection(ConnectionSpec spec) {
      record("materialize.convergeConnection");
      namesGiven.add("materialize.connection=" + spec.name());
      namesGiven.add("materialize.connection.database=" + spec.database());
      namesGiven.add("materialize.connection.secret=" + spec.passwordSecret());
      return outcome(
          ResourceKind.MZ_CONNECTION,
          spec.name(),
          materializeObjects.add("connection " + spec.name()));
    }

    @Override
    public SourceInfo convergeSource(SourceSpec spec) {
      record("materialize.convergeSource");
      namesGiven.add("materialize.source=" + spec.name());
      namesGiven.add("materialize.source.cluster=" + spec.cluster());
      namesGiven.add("materialize.source.publication=" + spec.publication());
      boolean created = materializeObjects.add("source " + spec.name());
      LedgerEntry entry =
          outcome(ResourceKind.MZ_SOURCE, spec.name(), created)
              .withAttributes(Map.of("replicationSlot", "materialize_" + spec.name()));
      return new SourceInfo(spec.name(), List.of("orders", "customers"), created, entry);
    }

    private LedgerEntry outcome(ResourceKind kind, String name, boolean created) {
      return created ? LedgerEntry.created(kind, name) : LedgerEntry.reused(kind, name);
    }

    @Override
    public List<PlannedChange> planMaterialize(MaterializePlan plan) {
      record("materialize.planMaterialize");
      return List.of(
          planned(ResourceKind.MZ_CLUSTER, "cluster", plan.cluster()),
          planned(ResourceKind.MZ_SECRET, "secret", plan.connection().passwordSecret()),
          planned(ResourceKind.MZ_CONNECTION, "connection", plan.connection().name()),
          planned(ResourceKind.MZ_SOURCE, "source", plan.source().name()));
    }

    private PlannedChange planned(ResourceKind kind, String what, String name) {
      return materializeObjects.contains(what + " " + name)
          ? new PlannedChange(kind, name, PlanAction.REUSE, "exists")
          : new PlannedChange(kind, name, PlanAction.CREATE, "missing");
    }

    @Override
    public List<Finding> materializeDrift(MaterializePlan plan) {
      record("materialize.materializeDrift");
      return materializeObjects.contains("source " + plan.source().name())
          ? List.of()
          : List.of(
              new Finding(
                  Severity.CRITICAL,
                  ResourceKind.MZ_SOURCE,
                  plan.source().name(),
                  "source " + plan.source().name() + " does not exist",
                  "run the onboarding again"));
    }

    @Override
    public List<Removal> removeMaterialize(MaterializeRemoval removal) {
      throw new UnsupportedOperationException("FakeWorld: issue 13, slice materialize");
    }

    @Override
    public dev.onramp.workflows.tables.TableChangeOutcome changeSourceTables(
        dev.onramp.activities.materialize.SourceTableChange change) {
      throw new UnsupportedOperationException("FakeWorld: issue 14, slice tables");
    }
  }

  /** What the notifier was told, one notice per verification run. */
  final List<FindingsNotice> notices = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** What people were told (kept apart from the call log, which tests compare exactly). */
  final List<PersonNotice> personNotices = new java.util.concurrent.CopyOnWriteArrayList<>();

  final class Notify implements NotifyActivities {
    @Override
    public void notifyPerson(PersonNotice notice) {
      personNotices.add(notice);
    }

    @Override
    public int notifyFindings(FindingsNotice notice) {
      record("notify.notifyFindings");
      notices.add(notice);
      return 0;
    }
  }

  final class Reverify implements ReverificationActivities {
    @Override
    public String ensureSchedule(OnboardingRequest request, Duration every) {
      record("reverification.ensureSchedule");
      schedules.add(scheduleId(request));
      return scheduleId(request);
    }

    @Override
    public boolean deleteSchedule(OnboardingRequest request) {
      record("reverification.deleteSchedule");
      return schedules.remove(scheduleId(request));
    }

    private String scheduleId(OnboardingRequest request) {
      return "verify/" + request.region() + "/" + request.dbInstanceId() + "/" + request.database();
    }

    @Override
    public LedgerEntry convergeSchedule(ScheduleRequest request) {
      record("reverification.convergeSchedule");
      String id = scheduleId(request.request());
      return schedules.add(id)
          ? LedgerEntry.created(ResourceKind.REVERIFICATION_SCHEDULE, id)
          : LedgerEntry.reused(ResourceKind.REVERIFICATION_SCHEDULE, id);
    }

    @Override
    public PlannedChange planSchedule(ScheduleRequest request) {
      record("reverification.planSchedule");
      String id = scheduleId(request.request());
      return schedules.contains(id)
          ? new PlannedChange(ResourceKind.REVERIFICATION_SCHEDULE, id, PlanAction.REUSE, "exists")
          : new PlannedChange(
              ResourceKind.REVERIFICATION_SCHEDULE, id, PlanAction.CREATE, "missing");
    }

    @Override
    public Removal removeSchedule(ScheduleRemoval removal) {
      throw new UnsupportedOperationException("FakeWorld: issue 13, slice aws");
    }

    @Override
    public boolean retargetSchedule(
        dev.onramp.activities.verification.ScheduleTablesChange change) {
      record("reverification.retargetSchedule");
      retargeted.add(change);
      return schedules.contains(scheduleId(change.onboarding()));
    }
  }
}
