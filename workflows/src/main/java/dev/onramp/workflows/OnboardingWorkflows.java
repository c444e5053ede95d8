package dev.onramp.workflows;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.List;

/** Workflow ids, start options and search attributes shared by the worker, CLI and tests. */
public final class OnboardingWorkflows {
  public static final String DEFAULT_TASK_QUEUE = "onramp";

  public static final SearchAttributeKey<String> STEP =
      SearchAttributeKey.forKeyword("OnboardingStep");
  public static final SearchAttributeKey<String> STATUS =
      SearchAttributeKey.forKeyword("OnboardingStatus");
  public static final SearchAttributeKey<String> DB_INSTANCE =
      SearchAttributeKey.forKeyword("DbInstance");

  /** The worst finding of a re-verification run: HEALTHY, WARNING, CRITICAL or UNREACHABLE. */
  public static final SearchAttributeKey<String> VERIFICATION_STATUS =
      SearchAttributeKey.forKeyword("VerificationStatus");

  /** When the re-verification run checked (a Datetime attribute). */
  public static final SearchAttributeKey<java.time.OffsetDateTime> LAST_VERIFIED_AT =
      SearchAttributeKey.forOffsetDateTime("LastVerifiedAt");

  /** The Keyword search attributes the workflows upsert; a namespace must have them all. */
  public static final List<String> SEARCH_ATTRIBUTE_NAMES =
      List.of(
          STEP.getName(), STATUS.getName(), DB_INSTANCE.getName(), VERIFICATION_STATUS.getName());

  /** Every search attribute the workflows upsert, with its type; a namespace must have them all. */
  public static final java.util.Map<String, IndexedValueType> SEARCH_ATTRIBUTES =
      java.util.Collections.unmodifiableMap(searchAttributes());

  private static java.util.LinkedHashMap<String, IndexedValueType> searchAttributes() {
    var all = new java.util.LinkedHashMap<String, IndexedValueType>();
    SEARCH_ATTRIBUTE_NAMES.forEach(n -> all.put(n, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    all.put(LAST_VERIFIED_AT.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    return all;
  }

  private OnboardingWorkflows() {}

  /** One workflow per target: {@code onboard/<region>/<db-instance-id>/<database>}. */
  public static String workflowId(OnboardingRequest request) {
    return workflowId(request.region(), request.dbInstanceId(), request.database());
  }

  /**
   * The database is named by its value, so {@code Shop} and {@code shop} (one database to
   * PostgreSQL) are one target, and {@code "Shop"} another.
   */
  public static String workflowId(String region, String dbInstanceId, String database) {
    String value;
    try {
      value = SqlIdentifiers.parseIdentifier(database);
    } catch (IllegalArgumentException e) {
      value = database; // refused by the validator before any workflow starts
    }
    return "onboard/" + region + "/" + dbInstanceId + "/" + value;
  }

  /**
   * A plan of the request's onboarding: {@code plan/<region>/<db-instance-id>/<database>/<run>}, so
   * that plans never collide with each other or with the onboarding.
   */
  public static String planWorkflowId(OnboardingRequest request, String run) {
    return workflowId(request).replaceFirst("^onboard/", "plan/") + "/" + run;
  }

  /**
   * Start options: a second run for a target that is still running is refused (conflict policy
   * FAIL); a finished one may be run again (reuse ALLOW_DUPLICATE), which is how a failed
   * onboarding is resumed: every step is idempotent.
   */
  public static WorkflowOptions options(OnboardingRequest request, String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(request))
        .setTaskQueue(taskQueue)
        .setStaticSummary(WebUiMetadata.onboardingSummary(request))
        .setStaticDetails(WebUiMetadata.onboardingDetails(request))
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(DB_INSTANCE, request.dbInstanceId())
                .set(STATUS, OnboardingStatus.RUNNING.name())
                .set(STEP, OnboardingStep.PREFLIGHT.name())
                .build())
        .build();
  }
}
