package dev.onramp.workflows;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;

/**
 * The signal a fleet sends an onboarding when one of its reboot slots is the onboarding's. Not part
 * of {@link OnboardingWorkflow}: {@link RebootSlot} registers it only in runs that belong to a
 * fleet, just before it asks for a slot.
 */
@WorkflowInterface
public interface RebootSlotHolder {
  String GRANTED = "rebootSlotGranted";
  String GRANT = "rebootSlotGrant";
  String SUCCESSOR = "rebootSlotSuccessor";

  /**
   * {@code fleetId}: the fleet that granted the slot (fleets before {@code fleet-slot-handoff}).
   */
  @SignalMethod(name = GRANTED)
  void rebootSlotGranted(String fleetId);

  /** A slot, from the fleet or handed over by the onboarding that held it. */
  @SignalMethod(name = GRANT)
  void rebootSlotGrant(RebootSlotGrant grant);

  /** Who to hand the slot to when this onboarding's reboot is done. */
  @SignalMethod(name = SUCCESSOR)
  void rebootSlotSuccessor(RebootSlotSuccessor successor);
}
