package dev.onramp.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Onboards many databases as one fleet, each as its usual {@code onboard/...} workflow, within the
 * fleet's limits: running onboardings, and instances rebooting (fleet-wide and per region). One
 * database failing never stops the others. Workflow id {@code fleet/<name>}.
 */
@WorkflowInterface
public interface FleetWorkflow {
  String REQUEST_SLOT = "requestRebootSlot";
  String RELEASE_SLOT = "releaseRebootSlot";
  String HANDED_OVER = "rebootSlotHandedOver";

  /**
   * Runs the fleet to its end and returns the summary. {@code carried} is null when a client starts
   * the fleet; a run that continues as new passes its state on in it.
   */
  @WorkflowMethod
  FleetResult run(FleetRequest request, FleetState carried);

  /** Where the fleet stands: the summary table so far, the reboot slots held, paused or not. */
  @QueryMethod
  FleetProgress progress();

  /** Starts no further onboarding and grants no further reboot slot until {@link #resume}. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /** An onboarding of the fleet asks for a reboot slot ({@link RebootSlot}). */
  @SignalMethod(name = REQUEST_SLOT)
  void requestRebootSlot(RebootSlotRequest request);

  /** An onboarding's reboot is done; its slot is free. */
  @SignalMethod(name = RELEASE_SLOT)
  void releaseRebootSlot(String onboardingId);

  /** An onboarding's reboot is done and it handed its slot to the successor the fleet named. */
  @SignalMethod(name = HANDED_OVER)
  void rebootSlotHandedOver(RebootSlotHandover handover);

  /** A database's onboarding ended ({@link FleetMemberWorkflow} reports it). */
  @SignalMethod
  void memberFinished(FleetMemberOutcome outcome);
}
