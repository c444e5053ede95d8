package dev.onramp.workflows;

import dev.onramp.activities.ledger.Removal;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The offboarding's progress as the query returns it; keeps the OnboardingStep (the part) and
 * OnboardingStatus search attributes in step, as the onboarding does.
 */
final class OffboardingTracker {
  private String dbInstanceId;
  private String database;
  private OnboardingStatus status = OnboardingStatus.RUNNING;
  private OffboardingPart part = OffboardingPart.RECORD;
  private String waitingFor;
  private String failure;
  private final List<Removal> removals = new ArrayList<>();
  private final List<String> leftovers = new ArrayList<>();
  private Instant startedAt;
  private Instant updatedAt;

  void begin(String dbInstanceId, String database) {
    this.dbInstanceId = dbInstanceId;
    this.database = database;
    startedAt = now();
    touch();
  }

  void part(OffboardingPart next) {
    part = next;
    waitingFor = null;
    Workflow.upsertTypedSearchAttributes(OnboardingWorkflows.STEP.valueSet(next.name()));
    touch();
  }

  void waiting(String what) {
    waitingFor = what;
    touch();
  }

  void status(OnboardingStatus next) {
    if (next != status) {
      status = next;
      Workflow.upsertTypedSearchAttributes(OnboardingWorkflows.STATUS.valueSet(next.name()));
    }
    touch();
  }

  void removed(Removal removal, String leftover) {
    removals.add(removal);
    if (leftover != null) {
      leftovers.add(leftover);
    }
    touch();
  }

  void failed(String message) {
    failure = message;
    status(OnboardingStatus.FAILED);
  }

  List<Removal> removals() {
    return List.copyOf(removals);
  }

  List<String> leftovers() {
    return List.copyOf(leftovers);
  }

  OffboardingProgress snapshot() {
    return new OffboardingProgress(
        dbInstanceId,
        database,
        status,
        part.title(),
        waitingFor,
        removals,
        leftovers,
        failure,
        startedAt,
        updatedAt);
  }

  private void touch() {
    updatedAt = now();
    WebUiMetadata.publish(
        WebUiMetadata.offboardingDetails(snapshot(), Workflow.getInfo().getWorkflowId()));
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
