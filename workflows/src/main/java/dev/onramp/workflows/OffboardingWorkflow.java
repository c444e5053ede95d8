package dev.onramp.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Offboards one target: walks the ledger of its onboardings in reverse and removes only what onramp
 * created, restores what it changed, and reports what it kept and what is left over.
 */
@WorkflowInterface
public interface OffboardingWorkflow {

  @WorkflowMethod
  OffboardingResult offboard(OffboardingRequest request);

  /** Where the run stands: the part being removed, every removal so far, the leftovers so far. */
  @QueryMethod
  OffboardingProgress progress();

  /**
   * Approves the reboot that restores the parameter group (reboot policy APPROVAL); the same update
   * as the onboarding's, so {@code onramp approve offboard/<region>/<instance>/<db>} works.
   */
  @UpdateMethod
  RebootDecision approveReboot(String approver);

  @UpdateValidatorMethod(updateName = "approveReboot")
  void validateApproveReboot(String approver);

  /** Rejects that reboot: the association and group are left over, pending reboot. */
  @UpdateMethod
  RebootDecision rejectReboot(String approver, String reason);

  @UpdateValidatorMethod(updateName = "rejectReboot")
  void validateRejectReboot(String approver, String reason);

  /** The decision as a signal, for the Web UI; ignored when no approval is pending. */
  @SignalMethod
  void rebootDecision(RebootDecision decision);
}
