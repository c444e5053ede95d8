package dev.onramp.workflows;

import dev.onramp.activities.materialize.SnapshotProgress;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Onboards one RDS for PostgreSQL database into Materialize; see the design's eleven steps. */
@WorkflowInterface
public interface OnboardingWorkflow {

  @WorkflowMethod
  OnboardingResult onboard(OnboardingRequest request);

  /** Where the run stands: every step's state, what it waits for, what it has created. */
  @QueryMethod
  OnboardingProgress progress();

  /** Approves the pending reboot (reboot policy APPROVAL). */
  @UpdateMethod
  RebootDecision approveReboot(String approver);

  /** Refuses an approval when none is pending, so a stray approve cannot pre-approve a reboot. */
  @UpdateValidatorMethod(updateName = "approveReboot")
  void validateApproveReboot(String approver);

  /** Rejects the pending reboot: the run fails, leaving the parameter group pending-reboot. */
  @UpdateMethod
  RebootDecision rejectReboot(String approver, String reason);

  @UpdateValidatorMethod(updateName = "rejectReboot")
  void validateRejectReboot(String approver, String reason);

  /**
   * The same decision as a signal, for the Temporal Web UI's "Send Signal" (input: {@code
   * {"approved": true, "by": "alice", "reason": null}}). Signals cannot be refused, so one that
   * arrives while no approval is pending is ignored (and logged) rather than pre-approving.
   */
  @SignalMethod
  void rebootDecision(RebootDecision decision);

  /**
   * Confirms that Materialize's SSH keys are in the bastion's authorized_keys, or its PrivateLink
   * principal is allowed on the endpoint service (network modes SSH_BASTION, PRIVATELINK_SERVICE);
   * the run then validates the connection.
   */
  @UpdateMethod
  NetworkConfirmed confirmNetwork(String by);

  /** Refuses a confirmation when none is pending. */
  @UpdateValidatorMethod(updateName = "confirmNetwork")
  void validateConfirmNetwork(String by);

  /** The same confirmation as a signal for the Web UI (input: the confirming person's name). */
  @SignalMethod
  void networkConfirmed(String by);

  /**
   * The snapshot wait's latest reading (records staged of known, rate, ETA), sent by the activity
   * now and then so the progress query shows it; changes nothing but the progress.
   */
  @SignalMethod
  default void snapshotProgress(SnapshotProgress progress) {
    // implementations that show progress override this
  }
}
