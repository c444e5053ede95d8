package dev.onramp.workflows;

import io.temporal.workflow.QueryMethod;
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
}
