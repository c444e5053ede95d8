package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.aws.ManagedResource;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingFailures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * {@link RdsActivities} with the AWS SDK v2. Facts it relies on (shared/reference/aws-rds.md):
 * default groups cannot be modified, {@code rds.logical_replication} is static (pending-reboot
 * only), a new group's static parameters apply only at a reboot without failover, and
 * DBInstanceNotFound is the answer for an unknown identifier.
 */
public final class RdsActivitiesImpl implements RdsActivities {
  private static final Logger log = LoggerFactory.getLogger(RdsActivitiesImpl.class);

  /** States from which an instance will not become available by waiting. */
  private static final Set<String> TERMINAL =
      Set.of(
          "failed",
          "deleting",
          "deleted",
          "stopped",
          "stopping",
          "incompatible-parameters",
          "incompatible-restore",
          "incompatible-network",
          "inaccessible-encryption-credentials",
          "storage-full");

  private final AwsClients aws;

  public RdsActivitiesImpl(AwsClients aws) {
    this.aws = aws;
  }

  private RdsClient rds(String region) {
    return aws.rds(region);
  }

  // ------------------------------------------------------------------ describe

  @Override
  public DbInstanceInfo describeInstance(String region, String dbInstanceId) {
    return new DbInstances(rds(region), region).describe(dbInstanceId);
  }

  /**
   * onramp onboards RDS for PostgreSQL instances and Aurora PostgreSQL writers: Aurora replicas
   * cannot be the upstream of logical replication, and the MySQL engines are not PostgreSQL.
   */
  private static void refuseUnsupported(DbInstanceInfo i) {
    if ("aurora-postgresql".equals(i.engine()) && i.inCluster()) {
      if (!i.cluster().writer()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.UNSUPPORTED_ENGINE,
            "instance "
                + i.dbInstanceId()
                + " is a reader of Aurora cluster "
                + i.cluster().dbClusterId()
                + "; an Aurora replica cannot be the upstream of logical replication: use the"
                + " writer, "
                + i.cluster().writerInstanceId());
      }
      return;
    }
    if (!"postgres".equals(i.engine()) || i.dbClusterId() != null) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + i.dbInstanceId()
              + " uses engine "
              + i.engine()
              + (i.dbClusterId() == null ? "" : " in cluster " + i.dbClusterId())
              + "; onramp onboards PostgreSQL only (RDS for PostgreSQL or Aurora PostgreSQL)");
    }
  }

  // ------------------------------------------------------------------ parameter groups

  @Override
  public ParameterGroupPlan planParameterGroup(String region, String dbInstanceId) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    refuseUnsupported(i);
    if (i.inCluster()) {
      return new ClusterParameterGroupPlanner(rds(region), region).decide(i);
    }
    return new ParameterGroupPlanner(rds(region), region).decide(i);
  }

  private ParameterGroupResource groups(String region) {
    return new ParameterGroupResource(rds(region), region);
  }

  /**
   * The resource a plan is about: a DB parameter group, or an Aurora DB cluster parameter group.
   */
  private ManagedResource<ParameterGroupPlan, ParameterGroupResource.Seen> groupsFor(
      String region, ParameterGroupPlan plan) {
    return ClusterParameterGroupPlanner.isClusterPlan(plan)
        ? new ClusterParameterGroupResource(rds(region), region)
        : groups(region);
  }

  /** The association of the instance's group: its own, or its Aurora cluster's. */
  private ManagedResource<AssociationRequest, DbInstanceInfo> associationFor(
      String region, String dbInstanceId) {
    return describeInstance(region, dbInstanceId).inCluster()
        ? new ClusterAssociationResource(rds(region), region)
        : new AssociationResource(rds(region), region);
  }

  @Override
  public void prepareParameterGroup(String region, ParameterGroupPlan plan) {
    groupsFor(region, plan).converge(plan);
  }

  // ------------------------------------------------------------------ instance changes

  @Override
  public void associateParameterGroup(
      String region,
      String dbInstanceId,
      String parameterGroup,
      boolean applyPendingModifications) {
    associationFor(region, dbInstanceId)
        .converge(
            new AssociationRequest(
                region, dbInstanceId, parameterGroup, applyPendingModifications));
  }

  @Override
  public InstanceState checkAvailable(String region, String dbInstanceId) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    awaitAvailable(i);
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + state.parameterGroup() + " of " + dbInstanceId + " is applying");
    }
    return state;
  }

  private static InstanceState state(DbInstanceInfo i) {
    return new InstanceState(i.status(), i.parameterGroup(), i.parameterApplyStatus());
  }

  /**
   * "Not yet" unless the instance is {@code available} and, for an Aurora member, its cluster too
   * (ModifyDBCluster keeps the cluster {@code modifying} for a while).
   */
  private static void awaitAvailable(DbInstanceInfo i) {
    if (!"available".equals(i.status())) {
      throw OnboardingFailures.notReady(
          "instance " + i.dbInstanceId() + " is " + i.status() + ", waiting for available");
    }
    if (i.inCluster() && !"available".equals(i.cluster().status())) {
      throw OnboardingFailures.notReady(
          "cluster "
              + i.cluster().dbClusterId()
              + " of "
              + i.dbInstanceId()
              + " is "
              + i.cluster().status()
              + ", waiting for available");
    }
  }

  private static void failIfTerminal(DbInstanceInfo i) {
    if (TERMINAL.contains(i.status())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_STATE,
          "instance "
              + i.dbInstanceId()
              + " is "
              + i.status()
              + " and will not become available by waiting; fix it in the RDS console"
              + " (see its recent events), then run onramp again");
    }
  }

  /** The failure that stops a run before it applies someone else's pending modifications. */
  public static io.temporal.failure.ApplicationFailure pendingModificationsFailure(
      String dbInstanceId, List<String> pending) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.PENDING_MODIFICATIONS,
        "instance "
            + dbInstanceId
            + " has pending modifications ("
            + String.join(", ", pending)
            + ") that ModifyDBInstance with ApplyImmediately=true would apply along with the"
            + " parameter group; apply or cancel them first, or run onramp again with"
            + " --apply-pending-modifications (applyPendingModifications: true) to apply them"
            + " now");
  }

  @Override
  public InstanceState checkAssociated(String region, String dbInstanceId, String parameterGroup) {
    // Two consecutive reads must agree: one answer of an eventually consistent describe, even one
    // showing the new group, can be followed by an older one.
    InstanceState first = associatedState(region, dbInstanceId, parameterGroup);
    return associatedState(region, dbInstanceId, parameterGroup).equals(first)
        ? first
        : notYet(dbInstanceId + " answered differently on two consecutive reads");
  }

  private InstanceState associatedState(String region, String dbInstanceId, String group) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    if (!group.equals(state.parameterGroup())) {
      throw OnboardingFailures.notReady(
          "instance "
              + dbInstanceId
              + " still shows parameter group "
              + state.parameterGroup()
              + ", waiting for "
              + group);
    }
    awaitAvailable(i);
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + group + " of " + dbInstanceId + " is applying");
    }
    return state;
  }

  private static InstanceState notYet(String message) {
    throw OnboardingFailures.notReady(message);
  }

  @Override
  public RebootOutcome reboot(String region, String dbInstanceId, Instant notBefore) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    if ("rebooting".equals(i.status())) {
      return RebootOutcome.ALREADY_REBOOTING;
    }
    if (new RebootEvents(rds(region)).rebootedSince(dbInstanceId, notBefore)) {
      return RebootOutcome.ALREADY_REBOOTED;
    }
    try {
      // Never with failover: RDS applies pending parameter groups only on a reboot without it.
      rds(region).rebootDBInstance(b -> b.dbInstanceIdentifier(dbInstanceId).forceFailover(false));
      log.info("rebooting {}", dbInstanceId);
      return RebootOutcome.REBOOTED;
    } catch (RdsException e) {
      // InvalidDBInstanceState (a backup, another modification) is retried: AwsFailures.RDS.
      throw AwsFailures.translate("RebootDBInstance " + dbInstanceId, e);
    }
  }

  /**
   * While the restart event has not been seen, DescribeDBInstances is asked only every {@value}
   * polls (the third, sixth...), to stop on a state no wait will leave (failed,
   * incompatible-parameters...). Not at the first: {@code reboot} has just read the instance, and a
   * reboot that is over within two polls then costs no read but the two that confirm it.
   */
  static final int TERMINAL_CHECK_EVERY = 3;

  @Override
  public InstanceState checkRebooted(
      String region, String dbInstanceId, String parameterGroup, Instant rebootRequestedAt) {
    RebootWatch startedWith = RebootWatch.fromPreviousPoll();
    RebootWatch watch = startedWith;
    try {
      // Evidence first: right after RebootDBInstance, DescribeDBInstances can still answer with
      // the state from before it (available, pending-reboot), which would read as "rebooted, did
      // not apply". RDS writes "DB instance restarted" (RDS-EVENT-0006) when the restart is done.
      // Once seen, it is carried to the next polls, which no longer ask DescribeEvents.
      if (!watch.restartSeen()) {
        if (rebootRequestedAt != null
            && !new RebootEvents(rds(region)).restartedSince(dbInstanceId, rebootRequestedAt)) {
          throw noRestartYet(region, dbInstanceId, rebootRequestedAt);
        }
        watch = watch.withRestartSeen();
      }
      // Two consecutive reads after the restart must agree (one answer of an eventually
      // consistent describe can be followed by an older one); the first may be the previous
      // poll's, so a wait that sees the instance not yet available spends one describe per poll.
      RebootRead read = rebootRead(region, dbInstanceId, parameterGroup);
      if (read.isAnswer() && read.state().equals(watch.lastRead())) {
        return read.state();
      }
      if (read.isAnswer()) {
        // No earlier read to agree with: a second one now rather than a poll interval later,
        // which would hold the reboot slot (and the wait) one more interval.
        RebootRead again = rebootRead(region, dbInstanceId, parameterGroup);
        if (again.isAnswer() && again.state().equals(read.state())) {
          return again.state();
        }
        read = again;
      }
      watch = watch.withRead(read.state());
      throw OnboardingFailures.notReady(
          read.isAnswer()
              ? dbInstanceId + " answered differently on two consecutive reads"
              : read.notYet());
    } catch (RuntimeException notYetOrFailed) {
      watch.handOver(startedWith);
      throw notYetOrFailed;
    }
  }

  /**
   * "Not yet": no restart event since the reboot was requested. DescribeDBInstances only every
   * {@link #TERMINAL_CHECK_EVERY} polls, to fail on a terminal state and say what it shows.
   */
  private RuntimeException noRestartYet(String region, String dbInstanceId, Instant requestedAt) {
    String message =
        "no restart of " + dbInstanceId + " since the reboot was requested at " + requestedAt;
    if (RebootWatch.poll() % TERMINAL_CHECK_EVERY != 0) {
      return OnboardingFailures.notReady(message);
    }
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    failIfTerminal(i);
    return OnboardingFailures.notReady(message + " (it shows " + i.status() + ")");
  }

  /**
   * One DescribeDBInstances after the restart: the state, and why it is not yet the answer (null
   * when it is: available, on the group, not applying).
   */
  private record RebootRead(InstanceState state, String notYet) {
    boolean isAnswer() {
      return notYet == null;
    }
  }

  private RebootRead rebootRead(String region, String dbInstanceId, String parameterGroup) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    if (parameterGroup != null && !parameterGroup.equals(state.parameterGroup())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_GROUP,
          "instance "
              + dbInstanceId
              + " now uses parameter group "
              + state.parameterGroup()
              + ", not "
              + parameterGroup
              + "; someone changed it during onboarding. Run onramp again");
    }
    if (!"available".equals(i.status())) {
      return new RebootRead(
          state, "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
    if (i.inCluster() && !"available".equals(i.cluster().status())) {
      return new RebootRead(
          state,
          "cluster "
              + i.cluster().dbClusterId()
              + " of "
              + dbInstanceId
              + " is "
              + i.cluster().status()
              + ", waiting for available");
    }
    if ("applying".equals(state.parameterApplyStatus())) {
      return new RebootRead(
          state,
          "parameter group " + state.parameterGroup() + " of " + dbInstanceId + " is applying");
    }
    // available and in-sync is the goal. Available and still pending-reboot after the restart
    // means the reboot did not apply the group: return it, the workflow checks the database and
    // decides whether to reboot again (through the gate).
    return new RebootRead(state, null);
  }

  // ---- the resource model (issue 13) ----

  @Override
  public LedgerEntry convergeParameterGroup(ParameterGroupRequest request) {
    return groupsFor(request.region(), request.plan()).converge(request.plan());
  }

  @Override
  public LedgerEntry convergeAssociation(AssociationRequest request) {
    return associationFor(request.region(), request.dbInstanceId()).converge(request);
  }

  @Override
  public Removal removeParameterGroup(ParameterGroupRemoval removal) {
    LedgerEntry entry = removal.entry();
    if (entry.kind() != ResourceKind.PARAMETER_GROUP) {
      return Removal.of(
          entry, RemovalOutcome.KEPT_NOT_OURS, "not a parameter-group entry; nothing done");
    }
    if (isClusterGroup(removal)) {
      return new ClusterParameterGroupResource(rds(removal.region()), removal.region())
          .remove(entry);
    }
    return groups(removal.region()).remove(entry);
  }

  /**
   * Whether the entry is an Aurora cluster group: marked so when onramp converged it; an entry
   * recorded as found (logical replication already on) carries no mark, so ask the instance.
   */
  private boolean isClusterGroup(ParameterGroupRemoval removal) {
    LedgerEntry entry = removal.entry();
    if (ClusterParameterGroupResource.CLUSTER_SCOPE.equals(
        entry.attribute(ClusterParameterGroupResource.SCOPE))) {
      return true;
    }
    if (entry.outcome() != Outcome.REUSED || entry.attribute("family") != null) {
      return false;
    }
    try {
      return describeInstance(removal.region(), removal.dbInstanceId()).inCluster();
    } catch (io.temporal.failure.ApplicationFailure gone) {
      return false;
    }
  }

  @Override
  public List<Finding> parameterGroupDrift(ParameterGroupCheck check) {
    String region = check.region();
    String id = check.dbInstanceId();
    DbInstanceInfo i = describeInstance(region, id);
    String group = i.parameterGroup();
    String whose =
        i.inCluster() ? "its Aurora cluster " + i.cluster().dbClusterId() : "the instance";
    if (group == null || group.startsWith("default.")) {
      // RDS forbids changing default groups, so rds.logical_replication is 0 there: the next
      // reboot turns logical replication off (RDS User Guide, "Working with parameter groups").
      return List.of(
          new Finding(
              Severity.CRITICAL,
              ResourceKind.PARAMETER_GROUP_ASSOCIATION,
              id,
              whose
                  + " uses the default parameter group "
                  + group
                  + ": logical replication stops at its next reboot",
              "run onramp again for this database: it puts the instance back on a group with"
                  + " rds.logical_replication=1 (a reboot follows, through the reboot gate)"));
    }
    ParameterGroupPlan inUse =
        new ParameterGroupPlan(
            ParameterGroupPlan.Action.ALREADY_SET, null, group, group, "re-verification");
    List<Finding> out =
        new ArrayList<>(
            i.inCluster()
                ? new ClusterParameterGroupResource(rds(region), region).drift(inUse)
                : groups(region).drift(inUse));
    String apply = i.parameterApplyStatus();
    if (!"in-sync".equals(apply)) {
      out.add(
          new Finding(
              Severity.WARNING,
              ResourceKind.PARAMETER_GROUP_ASSOCIATION,
              id,
              "parameter group "
                  + group
                  + " is "
                  + apply
                  + " on the instance: a change to it (or the association) waits for a reboot",
              "see what changed: aws rds describe-db-instances --region "
                  + region
                  + " --db-instance-identifier "
                  + id
                  + "; then reboot when convenient: aws rds reboot-db-instance --region "
                  + region
                  + " --db-instance-identifier "
                  + id));
    }
    return out;
  }
}
