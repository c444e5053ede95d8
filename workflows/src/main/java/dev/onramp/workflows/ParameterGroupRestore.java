package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupRemoval;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The offboarding's last part: the instance back on the parameter group it used before onboarding
 * (ModifyDBInstance, then a reboot through the onboarding's {@link RebootGate}, each wait decided
 * on evidence as onboarding's), then the group onramp created deleted; or, without {@code
 * restoreParameterGroup}, both kept as asked.
 */
final class ParameterGroupRestore {
  private final OffboardingRequest request;
  private final OffboardingActivities act;
  private final OffboardingTracker progress;
  private final RebootApproval approval;
  private final RemovalReport report;
  private final String region;
  private final String id;
  private final String target;

  ParameterGroupRestore(
      OffboardingRequest request,
      OffboardingActivities act,
      OffboardingTracker progress,
      RebootApproval approval,
      RemovalReport report) {
    this.request = request;
    this.act = act;
    this.progress = progress;
    this.approval = approval;
    this.report = report;
    this.region = request.region();
    this.id = request.dbInstanceId();
    this.target = report.target();
  }

  /**
   * With {@code restoreParameterGroup}: the instance back on the group it used before (a reboot
   * through the request's gate), then the group onramp created deleted. Without: both kept.
   */
  void run(
      List<LedgerEntry> associations, List<LedgerEntry> groups, List<String> othersOnInstance) {
    if (associations.isEmpty() && groups.isEmpty()) {
      return;
    }
    if (request.restoresParameterGroup() && !othersOnInstance.isEmpty()) {
      // Restoring the group turns logical replication off for every database of the instance.
      for (LedgerEntry e : concat(associations, groups)) {
        if (e.outcome() == Outcome.REUSED) {
          report.record(
              Removal.of(
                  e,
                  RemovalOutcome.KEPT_NOT_OURS,
                  "onramp found it as it is (logical replication was already on); left in"
                      + " place"));
        } else {
          report.leftOver(
              e,
              "not restored: other databases of "
                  + id
                  + " are onboarded and replicate through this parameter group ("
                  + String.join(", ", othersOnInstance)
                  + ")",
              "offboard them first, then run `onramp offboard "
                  + target
                  + " --restore-parameter-group` again");
        }
      }
      return;
    }
    if (!request.restoresParameterGroup()) {
      for (LedgerEntry e : concat(associations, groups)) {
        if (e.outcome() == Outcome.REUSED) {
          report.record(
              Removal.of(
                  e,
                  RemovalOutcome.KEPT_NOT_OURS,
                  "onramp found it as it is (logical replication was already on); left in"
                      + " place"));
          continue;
        }
        report.record(
            Removal.of(
                e,
                RemovalOutcome.KEPT_AS_ASKED,
                "kept: logical replication stays on; to put "
                    + id
                    + " back on the group it used before and delete onramp's (a reboot), run"
                    + " `onramp offboard "
                    + target
                    + " --restore-parameter-group`"));
      }
      return;
    }
    progress.part(OffboardingPart.PARAMETER_GROUP);
    String onrampGroup = groups.isEmpty() ? null : groups.get(0).identifier();
    List<LedgerEntry> pending = new ArrayList<>(concat(associations, groups));
    try {
      for (LedgerEntry association : associations) {
        report.record(restoreAssociation(association, onrampGroup));
        pending.remove(association);
      }
      for (LedgerEntry group : groups) {
        report.record(act.rds.removeParameterGroup(new ParameterGroupRemoval(region, id, group)));
        pending.remove(group);
      }
    } catch (ActivityFailure | ApplicationFailure f) {
      String why =
          f instanceof ActivityFailure af
              ? report.unreachable(OffboardingPart.PARAMETER_GROUP, af)
              : ((ApplicationFailure) f).getOriginalMessage();
      for (LedgerEntry e : pending) {
        report.leftOver(
            e,
            why,
            "run `onramp offboard "
                + target
                + " --restore-parameter-group` again once that is resolved");
      }
    }
  }

  private Removal restoreAssociation(LedgerEntry association, String onrampGroup) {
    String previous = association.previous();
    if (association.outcome() != Outcome.CHANGED || previous == null) {
      return Removal.of(
          association,
          RemovalOutcome.KEPT_NOT_OURS,
          "onramp did not change the instance's parameter group; left as it is");
    }
    DbInstanceInfo instance = act.rds.describeInstance(region, id);
    String current = instance.parameterGroup();
    String applyStatus = instance.parameterApplyStatus();
    if (previous.equals(current) && !"pending-reboot".equals(applyStatus)) {
      return Removal.of(
          association, RemovalOutcome.ALREADY_GONE, id + " is already on " + previous);
    }
    if (!previous.equals(current) && onrampGroup != null && !onrampGroup.equals(current)) {
      return Removal.of(
          association,
          RemovalOutcome.KEPT_CHANGED,
          "someone put "
              + id
              + " on "
              + current
              + " since onboarding (onramp set "
              + onrampGroup
              + "); left as it is");
    }
    if (!previous.equals(current)) {
      act.rds.convergeAssociation(new AssociationRequest(region, id, previous, false));
      progress.waiting(awsWait(id + " to show " + previous + " and become available"));
      act.rdsPoll.checkAssociated(region, id, previous);
    }
    String passed = passGate(instance, previous);
    Instant requestedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    act.rds.reboot(region, id, requestedAt);
    progress.waiting(awsWait(id + " to restart and " + previous + " to be in-sync"));
    act.rdsPoll.checkRebooted(region, id, previous, requestedAt);
    progress.waiting(null);
    return Removal.of(
        association,
        RemovalOutcome.RESTORED,
        id + " is back on " + previous + " (rebooted: " + passed + ")");
  }

  /**
   * The onboarding's gate (RebootGate) with the offboarding's policy and waits; returns what let
   * the reboot through.
   */
  private String passGate(DbInstanceInfo instance, String group) {
    RebootGate gate =
        new RebootGate(
            new RebootGate.Settings(
                request.rebootPolicy(),
                request.waits().approvalTimeout(),
                region,
                id,
                instance.preferredMaintenanceWindow(),
                true),
            act.rds,
            approval,
            new RebootGate.Listener() {
              @Override
              public void waiting(OnboardingStatus status, String what) {
                progress.status(status);
                progress.waiting(what);
              }

              @Override
              public void resumed() {
                progress.status(OnboardingStatus.RUNNING);
                progress.waiting(null);
              }
            });
    return gate.pass(null, 0, group).how();
  }

  private String awsWait(String what) {
    return what
        + " (checking every "
        + HumanDurations.format(request.waits().awsPollInterval())
        + ", at most "
        + HumanDurations.format(request.waits().awsMaxWait())
        + ")";
  }

  private static List<LedgerEntry> concat(List<LedgerEntry> a, List<LedgerEntry> b) {
    List<LedgerEntry> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
