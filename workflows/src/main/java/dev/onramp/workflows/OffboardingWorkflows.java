package dev.onramp.workflows;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** The offboarding's workflow id and start options, shared by the worker, CLI and tests. */
public final class OffboardingWorkflows {
  /** Failure type: the target has no onboarding run to offboard; nothing was touched. */
  public static final String NOT_ONBOARDED = "NotOnboarded";

  /** Failure type: an onboarding of the target is running; nothing was touched. */
  public static final String ONBOARDING_RUNNING = "OnboardingRunning";

  private OffboardingWorkflows() {}

  /** The target as the CLI names it: {@code region/instance/database}. */
  public static String target(OffboardingRequest request) {
    return request.region() + "/" + request.dbInstanceId() + "/" + request.database();
  }

  /** One offboarding per target: {@code offboard/<region>/<db-instance-id>/<database>}. */
  public static String workflowId(String region, String dbInstanceId, String database) {
    return OnboardingWorkflows.workflowId(region, dbInstanceId, database)
        .replaceFirst("^onboard/", "offboard/");
  }

  public static String workflowId(OffboardingRequest request) {
    return workflowId(request.region(), request.dbInstanceId(), request.database());
  }

  /**
   * As the onboarding's: a second run while one is running is refused; a finished one may run
   * again, which is how an incomplete offboarding is finished (every removal is idempotent).
   */
  public static WorkflowOptions options(OffboardingRequest request, String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(request))
        .setTaskQueue(taskQueue)
        .setStaticSummary(WebUiMetadata.offboardingSummary(request))
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(OnboardingWorkflows.DB_INSTANCE, request.dbInstanceId())
                .set(OnboardingWorkflows.STATUS, OnboardingStatus.RUNNING.name())
                .set(OnboardingWorkflows.STEP, OffboardingPart.RECORD.name())
                .build())
        .build();
  }
}
