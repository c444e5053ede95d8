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

  /** {@code fleetId}: the fleet that granted the slot. */
  @SignalMethod(name = GRANTED)
  void rebootSlotGranted(String fleetId);
}
