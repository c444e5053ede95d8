package dev.onramp.workflows;

import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow's record of its own progress, kept in workflow state (so it is rebuilt on replay)
 * and mirrored into the search attributes the Web UI lists and filters on.
 */
final class ProgressTracker {
  private final Map<OnboardingStep, StepProgress> steps = new EnumMap<>(OnboardingStep.class);
  private final List<String> createdResources = new ArrayList<>();
  private final List<String> reusedResources = new ArrayList<>();
  private String dbInstanceId;
  private String database;
  private OnboardingStatus status = OnboardingStatus.RUNNING;
  private OnboardingStep currentStep = OnboardingStep.PREFLIGHT;
  private String waitingFor;
  private Instant startedAt;
  private Instant updatedAt;

  ProgressTracker() {
    for (OnboardingStep s : OnboardingStep.values()) {
      steps.put(s, StepProgress.pending(s));
    }
  }

  void begin(String dbInstanceId, String database) {
    this.dbInstanceId = dbInstanceId;
    this.database = database;
    this.startedAt = now();
    this.updatedAt = startedAt;
  }

  void start(OnboardingStep step, String message) {
    currentStep = step;
    waitingFor = null;
    set(step, StepState.RUNNING, message);
    Workflow.upsertTypedSearchAttributes(OnboardingWorkflows.STEP.valueSet(step.name()));
  }

  void waiting(OnboardingStep step, String what) {
    waitingFor = what;
    set(step, StepState.WAITING, "waiting for " + what);
  }

  void running(OnboardingStep step, String message) {
    waitingFor = null;
    set(step, StepState.RUNNING, message);
  }

  void done(OnboardingStep step, String message) {
    waitingFor = null;
    set(step, StepState.DONE, message);
  }

  void skipped(OnboardingStep step, String why) {
    set(step, StepState.SKIPPED, why);
  }

  void failed(String message) {
    waitingFor = null;
    set(currentStep, StepState.FAILED, message);
    status(OnboardingStatus.FAILED);
  }

  void cancelled(String summary) {
    waitingFor = null;
    set(currentStep, StepState.CANCELLED, summary);
    status(OnboardingStatus.CANCELLED);
  }

  void status(OnboardingStatus newStatus) {
    if (newStatus != status) {
      status = newStatus;
      updatedAt = now();
      Workflow.upsertTypedSearchAttributes(OnboardingWorkflows.STATUS.valueSet(newStatus.name()));
    }
  }

  void created(String resource) {
    if (!createdResources.contains(resource)) {
      createdResources.add(resource);
    }
  }

  List<String> createdResources() {
    return List.copyOf(createdResources);
  }

  /** What the run found already in place and left as it was (for the cancellation report). */
  void reused(String resource) {
    if (!reusedResources.contains(resource)) {
      reusedResources.add(resource);
    }
  }

  List<String> reusedResources() {
    return List.copyOf(reusedResources);
  }

  /** What the current step said last: what an activity in flight was doing. */
  String currentStepMessage() {
    return steps.get(currentStep).message();
  }

  OnboardingStep currentStep() {
    return currentStep;
  }

  OnboardingProgress snapshot() {
    return new OnboardingProgress(
        dbInstanceId,
        database,
        status,
        currentStep,
        waitingFor,
        List.copyOf(steps.values()),
        List.copyOf(createdResources),
        startedAt,
        updatedAt,
        List.of());
  }

  private void set(OnboardingStep step, StepState state, String message) {
    updatedAt = now();
    steps.put(step, steps.get(step).with(state, updatedAt, message));
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
