package dev.onramp.workflows;

import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.InstanceState;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Steps 2–5: is logical replication on; if not, a parameter group that turns it on, associated, the
 * reboot gate, and reboots until it is on.
 */
final class RebootPath {
  private static final Logger log = Workflow.getLogger(RebootPath.class);

  private final OnboardingRequest request;
  private final OnboardingActivities act;
  private final ProgressTracker progress;
  private final ResourceCalls calls;
  private final RebootGate gate;
  private final RebootSlot slot;
  private final boolean rebootSafety;
  private final String region;
  private final String id;
  private Preflighted found;
  private String parameterGroup;
  private int reboots;

  RebootPath(
      Preflighted found,
      OnboardingActivities act,
      ProgressTracker progress,
      ResourceCalls calls,
      RebootApproval approval,
      boolean rebootSafety) {
    this.found = found;
    this.request = found.request();
    this.act = act;
    this.progress = progress;
    this.calls = calls;
    this.rebootSafety = rebootSafety;
    this.region = request.region();
    this.id = request.dbInstanceId();
    this.slot = new RebootSlot(request);
    this.gate =
        new RebootGate(
            new RebootGate.Settings(
                request.rebootPolicy(),
                request.waits().approvalTimeout(),
                region,
                id,
                found.instance().preferredMaintenanceWindow(),
                rebootSafety),
            act.rds,
            approval,
            // The gate waits in the step that passes it: step 4, or step 5 for a later reboot.
            new RebootGate.Listener() {
              @Override
              public void waiting(OnboardingStatus status, String what) {
                progress.status(status);
                progress.waiting(progress.currentStep(), what);
              }

              @Override
              public void resumed() {
                progress.status(OnboardingStatus.RUNNING);
              }
            });
  }

  /** Runs steps 2–5; returns what preflight found, with the instance as last described. */
  Preflighted run() {
    if (logicalReplicationOn()) {
      String why = "rds.logical_replication is already on";
      calls.parameterGroupAlreadyOn(found.instance().parameterGroup());
      progress.skipped(OnboardingStep.PARAMETER_GROUP, why);
      progress.skipped(OnboardingStep.ASSOCIATE_AND_GATE, why);
      progress.skipped(OnboardingStep.REBOOT_AND_WAIT, why);
      parameterGroup = found.instance().parameterGroup();
    } else {
      prepareParameterGroup();
      associateAndPassGate();
      rebootUntilEnabled();
    }
    return found;
  }

  String parameterGroup() {
    return parameterGroup;
  }

  int reboots() {
    return reboots;
  }

  /** Step 2: the seed's pg_settings check, plus wal_level. */
  private boolean logicalReplicationOn() {
    progress.start(OnboardingStep.LOGICAL_REPLICATION_CHECK, "reading pg_settings");
    LogicalReplicationStatus status = act.upstream.checkLogicalReplication(found.target());
    progress.done(
        OnboardingStep.LOGICAL_REPLICATION_CHECK,
        "rds.logical_replication="
            + status.rdsLogicalReplication()
            + ", wal_level="
            + status.walLevel());
    return status.enabled();
  }

  /** Step 3: a group with rds.logical_replication=1 that changes no other instance. */
  private void prepareParameterGroup() {
    progress.start(OnboardingStep.PARAMETER_GROUP, "planning");
    ParameterGroupPlan plan = act.rds.planParameterGroup(region, id);
    calls.parameterGroup(plan);
    parameterGroup = plan.targetGroup();
    progress.done(OnboardingStep.PARAMETER_GROUP, plan.reason());
  }

  /** Step 4: associate, wait for evidence of it, then the reboot gate. */
  private void associateAndPassGate() {
    progress.start(OnboardingStep.ASSOCIATE_AND_GATE, "associating " + parameterGroup);
    calls.associate(parameterGroup);
    progress.waiting(
        OnboardingStep.ASSOCIATE_AND_GATE,
        Waits.aws(request, id + " to show " + parameterGroup + " and become available"));
    if (rebootSafety) {
      act.rdsPoll.checkAssociated(region, id, parameterGroup);
    } else {
      act.rdsPoll.checkAvailable(region, id);
    }
    progress.done(OnboardingStep.ASSOCIATE_AND_GATE, passGate(null));
  }

  /** The gate for one reboot; {@code diagnosis} says why a reboot after the first is needed. */
  private String passGate(String diagnosis) {
    RebootGate.Passed passed = gate.pass(diagnosis, reboots, parameterGroup);
    DbInstanceInfo described = passed.described();
    if (described != null) {
      found = found.withInstance(described);
    }
    return passed.how();
  }

  /** Step 5: reboot, wait, verify; every further reboot passes the gate again. */
  private void rebootUntilEnabled() {
    progress.start(OnboardingStep.REBOOT_AND_WAIT, "rebooting " + id);
    if (!rebootSafety) {
      rebootTwiceWithoutGate();
      return;
    }
    while (true) {
      InstanceState state = rebootAndWait();
      LogicalReplicationStatus status = logicalReplication();
      if (status.enabled()) {
        progress.done(
            OnboardingStep.REBOOT_AND_WAIT,
            "logical replication on after " + reboots + " reboot" + (reboots == 1 ? "" : "s"));
        return;
      }
      String diagnosis = stillOff(status, state);
      if (reboots >= request.rebootLimit()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.PARAMETER_NOT_APPLIED,
            diagnosis
                + ". The request allows "
                + request.rebootLimit()
                + " reboot(s) (maxReboots). Check that the group sets rds.logical_replication=1"
                + " (DescribeDBParameters) and the instance's recent events (DescribeEvents),"
                + " then run onramp again");
      }
      log.info("{}; the next reboot passes the gate again", diagnosis);
      progress.running(OnboardingStep.REBOOT_AND_WAIT, diagnosis);
      String passed = passGate(diagnosis);
      progress.running(OnboardingStep.REBOOT_AND_WAIT, passed + "; rebooting " + id + " again");
    }
  }

  private String stillOff(LogicalReplicationStatus status, InstanceState state) {
    return "rds.logical_replication is still "
        + status.rdsLogicalReplication()
        + " (wal_level "
        + status.walLevel()
        + ") after "
        + reboots
        + " reboot(s) of "
        + id
        + "; its parameter group "
        + state.parameterGroup()
        + " is "
        + state.parameterApplyStatus();
  }

  /** Runs started before {@code reboot-safety}: a second reboot without the gate. */
  private void rebootTwiceWithoutGate() {
    InstanceState state = rebootAndWait();
    if (logicalReplication().enabled()) {
      progress.done(OnboardingStep.REBOOT_AND_WAIT, "logical replication on after 1 reboot");
      return;
    }
    progress.running(OnboardingStep.REBOOT_AND_WAIT, "still off after reboot; rebooting again");
    state = rebootAndWait();
    LogicalReplicationStatus status = logicalReplication();
    if (status.enabled()) {
      progress.done(OnboardingStep.REBOOT_AND_WAIT, "logical replication on after 2 reboots");
      return;
    }
    throw OnboardingFailures.nonRetryable(
        OnboardingFailures.PARAMETER_NOT_APPLIED,
        stillOff(status, state)
            + ". Check that the group sets rds.logical_replication=1 (DescribeDBParameters)"
            + " and the instance's recent events (DescribeEvents), then run onramp again");
  }

  private InstanceState rebootAndWait() {
    // A fleet's reboot budget (fleet-reboot-budget): hold one of its slots from before the reboot
    // until the evidence that it is done; nothing happens for a run outside a fleet.
    slot.acquire(
        () ->
            progress.waiting(
                OnboardingStep.REBOOT_AND_WAIT,
                "a reboot slot from " + slot.fleetId() + " (its reboot budget)"));
    Instant requestedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    act.rds.reboot(region, id, requestedAt);
    reboots++;
    progress.waiting(
        OnboardingStep.REBOOT_AND_WAIT,
        Waits.aws(request, id + " to restart and " + parameterGroup + " to be in-sync"));
    InstanceState state = act.rdsPoll.checkRebooted(region, id, parameterGroup, requestedAt);
    slot.release();
    return state;
  }

  private LogicalReplicationStatus logicalReplication() {
    return act.upstream.checkLogicalReplication(found.target());
  }
}
