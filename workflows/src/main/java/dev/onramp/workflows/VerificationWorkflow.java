package dev.onramp.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Re-verifies an onboarded database (run by a Temporal Schedule); reports drift, changes nothing.
 */
@WorkflowInterface
public interface VerificationWorkflow {

  @WorkflowMethod
  VerificationReport verify(OnboardingRequest request);
}
