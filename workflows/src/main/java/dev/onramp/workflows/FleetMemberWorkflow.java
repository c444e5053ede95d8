package dev.onramp.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One database of a fleet: runs its {@link OnboardingWorkflow} as a child (its id the usual {@code
 * onboard/<region>/<instance>/<database>}) and reports how it ended to the fleet by signal. The
 * fleet learns of endings by signal rather than by waiting on its own children because signals
 * reach the fleet's current run after it continued as new, and child completions do not.
 */
@WorkflowInterface
public interface FleetMemberWorkflow {
  @WorkflowMethod
  void onboard(String fleetId, int index, OnboardingRequest request);
}
