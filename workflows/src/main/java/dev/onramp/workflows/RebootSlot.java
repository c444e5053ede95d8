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
 *
 * <p>Since {@code fleet-slot-handoff} the fleet may name a successor for the slot this run holds
 * ({@link RebootSlotSuccessor}, matched by the grant's token): then the release signals the slot to
 * the successor directly and only afterwards tells the fleet, so the next reboot does not wait for
 * a workflow task of the fleet, queued behind hundreds of its members' signals. A successor that is
 * gone gets nothing and the slot goes back to the fleet as before.
 */
final class RebootSlot implements RebootSlotHolder {
  /** The change id of the slot wait; see docs/versioning.md. */
  static final String FLEET_REBOOT_BUDGET_CHANGE = "fleet-reboot-budget";

  static final int FLEET_REBOOT_BUDGET = 1;

  /** The change id of handing the slot to a successor; see docs/versioning.md. */
  static final String SLOT_HANDOFF_CHANGE = "fleet-slot-handoff";

  static final int SLOT_HANDOFF = 1;

  /** Failure type when the fleet that must grant the slot is not running. */
  static final String FLEET_GONE = "RebootBudgetUnavailable";

  private final String fleetId;
  private final OnboardingRequest request;
  private boolean registered;
  private boolean asking;
  private boolean granted;

  /** The token of the grant held (0: none, or a grant from a fleet without tokens). */
  private int token;

  /** The successor the fleet named, for the grant with its {@code holderToken}. */
  private RebootSlotSuccessor successor;

  private Integer handoffVersion;

  RebootSlot(OnboardingRequest request) {
    this.fleetId = request.rebootSlotsFrom();
    this.request = request;
  }

  private String onboardingId() {
    return Workflow.getInfo().getWorkflowId();
  }

  /**
   * Whether this run hands its slot to a successor the fleet names ({@code fleet-slot-handoff}).
   */
  private boolean handsOver() {
    if (handoffVersion == null) {
      handoffVersion =
          Workflow.getVersion(SLOT_HANDOFF_CHANGE, Workflow.DEFAULT_VERSION, SLOT_HANDOFF);
    }
    return handoffVersion >= SLOT_HANDOFF;
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
    RebootSlotRequest ask =
        new RebootSlotRequest(
            onboardingId(), request.region(), request.dbInstanceId(), handsOver());
    granted = false;
    token = 0;
    asking = true;
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
    asking = false;
  }

  /** Gives the slot back; a fleet that is gone has nothing to give back to. */
  void release() {
    if (!budgeted()) {
      return;
    }
    RebootSlotSuccessor next = successor;
    int held = token;
    successor = null;
    token = 0;
    if (handsOver() && next != null && held != 0 && next.holderToken() == held) {
      if (handOver(next)) {
        return;
      }
    }
    try {
      Workflow.newUntypedExternalWorkflowStub(fleetId)
          .signal(FleetWorkflow.RELEASE_SLOT, onboardingId());
    } catch (SignalExternalWorkflowException e) {
      Workflow.getLogger(RebootSlot.class)
          .warn("fleet {} is gone; no reboot slot to give back", fleetId);
    }
  }

  /**
   * Signals the slot to the successor, then tells the fleet. False when the successor is gone: the
   * caller gives the slot back to the fleet.
   */
  private boolean handOver(RebootSlotSuccessor next) {
    String to = next.next().onboardingId();
    try {
      Workflow.newUntypedExternalWorkflowStub(to)
          .signal(
              RebootSlotHolder.GRANT,
              new RebootSlotGrant(fleetId, next.nextToken(), onboardingId()));
    } catch (SignalExternalWorkflowException e) {
      return false;
    }
    try {
      Workflow.newUntypedExternalWorkflowStub(fleetId)
          .signal(FleetWorkflow.HANDED_OVER, new RebootSlotHandover(onboardingId(), to));
    } catch (SignalExternalWorkflowException e) {
      Workflow.getLogger(RebootSlot.class)
          .warn("fleet {} is gone; the slot handed to {} is not recorded", fleetId, to);
    }
    return true;
  }

  @Override
  public void rebootSlotGranted(String fleetId) {
    granted = true;
  }

  @Override
  public void rebootSlotGrant(RebootSlotGrant grant) {
    // Only while asking: a grant that arrives otherwise is not for a reboot this run waits for.
    if (asking && !granted) {
      granted = true;
      token = grant.token();
    }
  }

  @Override
  public void rebootSlotSuccessor(RebootSlotSuccessor named) {
    successor = named;
  }

  String fleetId() {
    return fleetId;
  }
}
