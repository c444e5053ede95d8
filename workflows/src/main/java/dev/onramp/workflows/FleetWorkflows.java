package dev.onramp.workflows;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.ChildWorkflowOptions;
import java.util.Map;

/** Workflow ids and start options of a fleet, its members and their onboardings. */
public final class FleetWorkflows {
  private FleetWorkflows() {}

  /** {@code fleet/<name>}. */
  public static String workflowId(String name) {
    return "fleet/" + name;
  }

  /** The member workflow of the fleet's {@code index}-th database: {@code fleet/<name>/<index>}. */
  public static String memberId(String fleetId, int index) {
    return fleetId + "/" + index;
  }

  /** As an onboarding's: a second run of a running fleet is refused, a finished one may rerun. */
  public static WorkflowOptions options(FleetRequest request, String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(request.name()))
        .setTaskQueue(taskQueue)
        .setStaticSummary(WebUiMetadata.fleetSummary(request))
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build();
  }

  /**
   * A member outlives the fleet run that started it (ABANDON): the fleet continues as new while its
   * members run. Cancelling the fleet cancels its running members explicitly.
   */
  static ChildWorkflowOptions memberOptions(String fleetId, int index) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(memberId(fleetId, index))
        .setStaticSummary("database " + index + " of fleet " + fleetId)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build();
  }

  /**
   * The onboarding as {@code onramp start} would start it (same id, search attributes, reuse
   * policy), cancelled with its member; its memo names the fleet as the requester.
   */
  static ChildWorkflowOptions onboardingOptions(OnboardingRequest request, String fleetId) {
    WorkflowOptions usual = OnboardingWorkflows.options(request, "unused");
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(usual.getWorkflowId())
        .setStaticSummary(usual.getStaticSummary())
        .setStaticDetails(usual.getStaticDetails())
        .setWorkflowIdReusePolicy(usual.getWorkflowIdReusePolicy())
        .setTypedSearchAttributes(usual.getTypedSearchAttributes())
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        .setMemo(Map.of(dev.onramp.workflows.client.OnboardingClient.REQUESTED_BY, fleetId))
        .build();
  }
}
