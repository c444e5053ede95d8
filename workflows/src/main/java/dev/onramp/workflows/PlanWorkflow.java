package dev.onramp.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * {@code onramp plan}: what an onboarding of the request would do, changing nothing. A request the
 * onboarding would refuse fails with the same refusal.
 */
@WorkflowInterface
public interface PlanWorkflow {
  @WorkflowMethod
  OnboardingPlan plan(OnboardingRequest request);
}
