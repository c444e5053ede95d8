package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
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

  private static void refuseAurora(DbInstanceInfo i) {
    if (i.dbClusterId() != null || (i.engine() != null && i.engine().startsWith("aurora"))) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + i.dbInstanceId()
              + " is part of an Aurora cluster (engine "
              + i.engine()
              + "); its parameter lives in the cluster parameter group, which onramp does not"
              + " manage yet. Aurora support is planned");
    }
    if (!"postgres".equals(i.engine())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + i.dbInstanceId()
              + " uses engine "
              + i.engine()
              + "; onramp onboards PostgreSQL only");
    }
  }

  // ------------------------------------------------------------------ parameter groups

  @Override
  public ParameterGroupPlan planParameterGroup(String region, String dbInstanceId) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    refuseAurora(i);
    return new ParameterGroupPlanner(rds(region), region).decide(i);
  }

  private ParameterGroupResource groups(String region) {
    return new ParameterGroupResource(rds(region), region);
  }

  private AssociationResource association(String region) {
    return new AssociationResource(rds(region), region);
  }

  @Override
  public void prepareParameterGroup(String region, ParameterGroupPlan plan) {
    groups(region).converge(plan);
  }

  // ------------------------------------------------------------------ instance changes

  @Override
  public void associateParameterGroup(
      String region,
      String dbInstanceId,
      String parameterGroup,
      boolean applyPendingModifications) {
    association(region)
        .converge(
            new AssociationRequest(
                region, dbInstanceId, parameterGroup, applyPendingModifications));
  }

  @Override
  public InstanceState checkAvailable(String region, String dbInstanceId) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    if (!"available".equals(i.status())) {
      throw OnboardingFailures.notReady(
          "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + state.parameterGroup() + " of " + dbInstanceId + " is applying");
    }
    return state;
  }

  private static InstanceState state(DbInstanceInfo i) {
    return new InstanceState(
        i.status(),
        i.parameterGroup(),
        i.parameterGroups().isEmpty() ? null : i.parameterGroups().get(0).applyStatus());
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
    if (!"available".equals(i.status())) {
      throw OnboardingFailures.notReady(
          "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
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

  @Override
  public InstanceState checkRebooted(
      String region, String dbInstanceId, String parameterGroup, Instant rebootRequestedAt) {
    // Evidence first: right after RebootDBInstance, DescribeDBInstances can still answer with the
    // state from before it (available, pending-reboot), which would read as "rebooted, did not
    // apply". RDS writes "DB instance restarted" (RDS-EVENT-0006) when the restart is done.
    if (rebootRequestedAt != null
        && !new RebootEvents(rds(region)).restartedSince(dbInstanceId, rebootRequestedAt)) {
      DbInstanceInfo i = describeInstance(region, dbInstanceId);
      failIfTerminal(i);
      throw OnboardingFailures.notReady(
          "no restart of "
              + dbInstanceId
              + " since the reboot was requested at "
              + rebootRequestedAt
              + " (it shows "
              + i.status()
              + ")");
    }
    InstanceState first = rebootedState(region, dbInstanceId, parameterGroup);
    return rebootedState(region, dbInstanceId, parameterGroup).equals(first)
        ? first
        : notYet(dbInstanceId + " answered differently on two consecutive reads");
  }

  private InstanceState rebootedState(String region, String dbInstanceId, String parameterGroup) {
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
      throw OnboardingFailures.notReady(
          "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + state.parameterGroup() + " of " + dbInstanceId + " is applying");
    }
    // available and in-sync is the goal. Available and still pending-reboot after the restart
    // means the reboot did not apply the group: return it, the workflow checks the database and
    // decides whether to reboot again (through the gate).
    return state;
  }

  // ---- the resource model (issue 13) ----

  @Override
  public LedgerEntry convergeParameterGroup(ParameterGroupRequest request) {
    return groups(request.region()).converge(request.plan());
  }

  @Override
  public LedgerEntry convergeAssociation(AssociationRequest request) {
    return association(request.region()).converge(request);
  }

  @Override
  public Removal removeParameterGroup(ParameterGroupRemoval removal) {
    LedgerEntry entry = removal.entry();
    if (entry.kind() != ResourceKind.PARAMETER_GROUP) {
      return Removal.of(
          entry, RemovalOutcome.KEPT_NOT_OURS, "not a parameter-group entry; nothing done");
    }
    return groups(removal.region()).remove(entry);
  }

  @Override
  public List<Finding> parameterGroupDrift(ParameterGroupCheck check) {
    String region = check.region();
    String id = check.dbInstanceId();
    DbInstanceInfo i = describeInstance(region, id);
    String group = i.parameterGroup();
    if (group == null || group.startsWith("default.")) {
      // RDS forbids changing default groups, so rds.logical_replication is 0 there: the next
      // reboot turns logical replication off (RDS User Guide, "Working with parameter groups").
      return List.of(
          new Finding(
              Severity.CRITICAL,
              ResourceKind.PARAMETER_GROUP_ASSOCIATION,
              id,
              "the instance uses the default parameter group "
                  + group
                  + ": logical replication stops at its next reboot",
              "run onramp again for this database: it puts the instance back on a group with"
                  + " rds.logical_replication=1 (a reboot follows, through the reboot gate)"));
    }
    List<Finding> out =
        new ArrayList<>(
            groups(region)
                .drift(
                    new ParameterGroupPlan(
                        ParameterGroupPlan.Action.ALREADY_SET,
                        null,
                        group,
                        group,
                        "re-verification")));
    String apply = i.parameterGroups().get(0).applyStatus();
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
