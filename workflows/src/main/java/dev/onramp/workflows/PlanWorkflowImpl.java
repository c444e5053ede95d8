package dev.onramp.workflows;

import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.materialize.MaterializePlan;
import dev.onramp.activities.network.IngressRequest;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.secrets.ReplicationSecretRequest;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import dev.onramp.activities.upstream.SnapshotEstimate;
import dev.onramp.activities.upstream.UpstreamRequest;
import dev.onramp.activities.upstream.WalSafety;
import dev.onramp.activities.verification.ScheduleRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the onboarding's {@link Preflight}, then only read-only calls: each resource's plan, in the
 * order the onboarding converges them. Nothing here creates, changes or reboots anything.
 */
public class PlanWorkflowImpl implements PlanWorkflow {
  private final ProgressTracker progress = new ProgressTracker();

  @Override
  public OnboardingPlan plan(OnboardingRequest input) {
    List<String> problems = RequestValidator.problems(input);
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OnboardingRequest request = input.withDefaults();
    progress.begin(request.dbInstanceId(), request.database());
    OnboardingActivities act = new OnboardingActivities(request.waits(), true);
    try {
      return plan(request, act);
    } catch (RuntimeException e) {
      // The same words as the onboarding's refusal: "Preflight checks: ...".
      throw FailureExplainer.explain(
          e, progress.currentStep().title(), request.waits().awsMaxWait());
    }
  }

  private OnboardingPlan plan(OnboardingRequest request, OnboardingActivities act) {
    Preflighted found = new Preflight(request, act, progress, true).run();
    String region = request.region();
    String id = request.dbInstanceId();
    List<PlannedChange> changes = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();

    progress.start(OnboardingStep.LOGICAL_REPLICATION_CHECK, "reading pg_settings");
    LogicalReplicationStatus status = act.upstream.checkLogicalReplication(found.target());
    boolean rebootNeeded = !status.enabled();
    String rebootWhy;
    if (status.enabled()) {
      rebootWhy = "rds.logical_replication is already on (wal_level " + status.walLevel() + ")";
      changes.add(
          new PlannedChange(
              ResourceKind.PARAMETER_GROUP,
              found.instance().parameterGroup(),
              PlanAction.REUSE,
              rebootWhy));
    } else {
      progress.start(OnboardingStep.PARAMETER_GROUP, "planning");
      ParameterGroupPlan group = act.rds.planParameterGroup(region, id);
      changes.add(
          new PlannedChange(
              ResourceKind.PARAMETER_GROUP,
              group.targetGroup(),
              switch (group.action()) {
                case CREATE, COPY -> PlanAction.CREATE;
                case MODIFY_IN_PLACE -> PlanAction.CHANGE;
                case ALREADY_SET -> PlanAction.REUSE;
              },
              group.reason()));
      boolean moves = !group.targetGroup().equals(group.currentGroup());
      changes.add(
          new PlannedChange(
              ResourceKind.PARAMETER_GROUP_ASSOCIATION,
              id,
              moves ? PlanAction.CHANGE : PlanAction.REUSE,
              moves
                  ? "the instance uses "
                      + group.currentGroup()
                      + (found.instance().inCluster()
                          ? "; ModifyDBCluster puts its cluster "
                              + found.instance().cluster().dbClusterId()
                              + " on "
                          : "; ModifyDBInstance puts it on ")
                      + group.targetGroup()
                  : "the instance already uses " + group.targetGroup()));
      rebootWhy =
          "rds.logical_replication is "
              + status.rdsLogicalReplication()
              + " (wal_level "
              + status.walLevel()
              + "); it is a static parameter, applied only by a reboot of "
              + id
              + ", which waits for the reboot policy "
              + request.rebootPolicy();
      if (!found.instance().pending().isEmpty()) {
        conflicts.add(
            "the association applies the instance's pending modifications too: "
                + String.join(", ", found.instance().pending()));
      }
    }

    progress.start(OnboardingStep.UPSTREAM_OBJECTS, "planning");
    changes.add(
        act.secrets.planReplicationSecret(
            new ReplicationSecretRequest(
                region, id, request.replicationPasswordSecret(), found.names().replicationUser())));
    changes.addAll(
        act.upstream.planUpstream(
            new UpstreamRequest(
                found.target(),
                request.tables(),
                found.names().publication(),
                found.names().replicationUser(),
                null)));

    progress.start(OnboardingStep.NETWORK, "planning");
    if (request.networkMode() == NetworkMode.EGRESS_IPS) {
      if (found.mz().egressCidrs().isEmpty()) {
        conflicts.add(
            "Materialize reports no egress IPs (mz_egress_ips is empty): the network step would"
                + " fail; choose networkMode SSH_TUNNEL, PRIVATELINK or NONE");
      } else {
        changes.addAll(
            act.network.planIngress(
                new IngressRequest(
                    region,
                    found.instance().securityGroupIds(),
                    found.instance().endpointPort(),
                    found.mz().egressCidrs())));
      }
    }

    progress.start(OnboardingStep.MATERIALIZE_OBJECTS, "planning");
    MaterializePlan checked = Preflight.materializePlan(found);
    changes.addAll(
        act.materialize.planMaterialize(
            new MaterializePlan(
                checked.cluster(),
                checked.connection(),
                checked.source(),
                request.materialize().sizeAtCreation())));

    if (!request.reverifyEvery().isZero()) {
      changes.add(
          act.reverification.planSchedule(new ScheduleRequest(request, request.reverifyEvery())));
    }
    SnapshotEstimate estimate = new SnapshotSizeSteps(found, act, progress).estimate();
    return new OnboardingPlan(
        id,
        request.database(),
        changes,
        rebootNeeded,
        rebootWhy,
        conflicts,
        walSafety(found),
        estimate);
  }

  /** Preflight's report, with what {@code setMaxSlotWalKeepSizeMb} would do. */
  private static WalSafety walSafety(Preflighted found) {
    WalSafety safety = found.walSafety();
    Long asked = found.request().setMaxSlotWalKeepSizeMb();
    if (safety == null || asked == null) {
      return safety;
    }
    long mb = asked > 0 ? asked : safety.recommendedMb();
    return safety.withApplied(
        mb > 0
            ? "would set max_slot_wal_keep_size to "
                + mb
                + " MB in the instance's parameter group if onramp created it (else only"
                + " recommend, with the command)"
            : "would not set max_slot_wal_keep_size: the allocated storage is unknown; give MB");
  }
}
