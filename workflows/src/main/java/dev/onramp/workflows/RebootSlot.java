package dev.onramp.workflows;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;

/**
 * The onboarding's side of a fleet's reboot budget: before each reboot, ask the fleet named by
 * {@link OnboardingRequest#rebootSlotsFrom()} for a slot and wait for it; after the reboot's
 * evidence wait (available and in-sync), give it back. A run outside a fleet has no budget and this
 * does nothing, issuing no command, so histories from before fleets replay unchanged.
 *
 * <p>The fleet also takes a slot back when the onboarding ends while holding it (a failed reboot
 * wait), so a release that never comes cannot starve the fleet.
 */
final class RebootSlot implements RebootSlotHolder {
  /** The change id of the slot wait; see docs/versioning.md. */
  static final String FLEET_REBOOT_BUDGET_CHANGE = "fleet-reboot-budget";

  static final int FLEET_REBOOT_BUDGET = 1;

  /** Failure type when the fleet that must grant the slot is not running. */
  static final String FLEET_GONE = "RebootBudgetUnavailable";

  private final String fleetId;
  private final RebootSlotRequest ask;
  private boolean registered;
  private boolean granted;

  RebootSlot(OnboardingRequest request) {
    this.fleetId = request.rebootSlotsFrom();
    this.ask =
        fleetId == null
            ? null
            : new RebootSlotRequest(
                Workflow.getInfo().getWorkflowId(), request.region(), request.dbInstanceId());
  }

  /** Whether reboots of this run wait for a fleet's slot. */
  boolean budgeted() {
    return fleetId != null
        && Workflow.getVersion(
                FLEET_REBOOT_BUDGET_CHANGE, Workflow.DEFAULT_VERSION, FLEET_REBOOT_BUDGET)
            >= FLEET_REBOOT_BUDGET;
  }

  /** Waits until the fleet grants a reboot slot; {@code waiting} says so in the progress. */
  void acquire(Runnable waiting) {
    if (!budgeted()) {
      return;
    }
    if (!registered) {
      Workflow.registerListener(this);
      registered = true;
    }
    granted = false;
    waiting.run();
    try {
      Workflow.newUntypedExternalWorkflowStub(fleetId).signal(FleetWorkflow.REQUEST_SLOT, ask);
    } catch (SignalExternalWorkflowException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this onboarding's reboots need a slot from fleet "
              + fleetId
              + ", which is not running; start the onboarding on its own (onramp start) to"
              + " reboot without a fleet's budget",
          FLEET_GONE);
    }
    Workflow.await(() -> granted);
  }

  /** Gives the slot back; a fleet that is gone has nothing to give back to. */
  void release() {
    if (!budgeted()) {
      return;
    }
    try {
      Workflow.newUntypedExternalWorkflowStub(fleetId)
          .signal(FleetWorkflow.RELEASE_SLOT, ask.onboardingId());
    } catch (SignalExternalWorkflowException e) {
      Workflow.getLogger(RebootSlot.class)
          .warn("fleet {} is gone; no reboot slot to give back", fleetId);
    }
  }

  @Override
  public void rebootSlotGranted(String fleetId) {
    granted = true;
  }

  String fleetId() {
    return fleetId;
  }
}
