package dev.onramp.workflows;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Duration;

/** Workflow id and start options of table changes, shared by the CLI, worker and tests. */
public final class TableChangeWorkflows {
  private TableChangeWorkflows() {}

  /**
   * {@code tables/<region>/<db-instance-id>/<database>}: the onboarding's id with another prefix.
   */
  public static String workflowId(String onboardingWorkflowId) {
    return onboardingWorkflowId.replaceFirst("^onboard/", "tables/");
  }

  /**
   * One table change per target at a time (conflict policy FAIL: two changes racing on one
   * publication and source would each see the other half done); a finished one may be followed by
   * the next (reuse ALLOW_DUPLICATE).
   */
  public static WorkflowOptions options(OnboardingRequest onboarding, String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(OnboardingWorkflows.workflowId(onboarding)))
        .setTaskQueue(taskQueue)
        .setStaticSummary(WebUiMetadata.tableChangeSummary(onboarding))
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setWorkflowExecutionTimeout(Duration.ofHours(2))
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(OnboardingWorkflows.DB_INSTANCE, onboarding.dbInstanceId())
                .build())
        .build();
  }
}
