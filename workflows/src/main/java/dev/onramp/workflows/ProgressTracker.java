package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.materialize.SnapshotProgress;
import dev.onramp.activities.upstream.SnapshotEstimate;
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
  private final List<LedgerEntry> ledger = new ArrayList<>();
  private boolean keepsLedger;
  private String dbInstanceId;
  private String database;
  private OnboardingStatus status = OnboardingStatus.RUNNING;
  private OnboardingStep currentStep = OnboardingStep.PREFLIGHT;
  private String waitingFor;
  private Instant startedAt;
  private Instant updatedAt;
  private SnapshotEstimate snapshotEstimate;
  private SnapshotProgress snapshotProgress;

  /** Whether step changes are shown as the run's current details in the Web UI. */
  private boolean showsDetails;

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

  /** From now on every change is shown in the Web UI as the run's current details. */
  void showInWebUi() {
    showsDetails = true;
    publishDetails();
  }

  private void publishDetails() {
    if (showsDetails) {
      WebUiMetadata.publish(
          WebUiMetadata.onboardingDetails(snapshot(), Workflow.getInfo().getWorkflowId()));
    }
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

  /**
   * {@code message} is the run's failure message, which starts with the step's title so that it
   * reads alone (Web UI, CLI's last line); beside the title in the step list that prefix would say
   * it twice.
   */
  void failed(String message) {
    waitingFor = null;
    set(currentStep, StepState.FAILED, withoutTitle(currentStep, message));
    status(OnboardingStatus.FAILED);
  }

  static String withoutTitle(OnboardingStep step, String message) {
    String prefix = step.title() + ": ";
    return message != null && message.startsWith(prefix)
        ? message.substring(prefix.length())
        : message;
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
      publishDetails();
    }
  }

  /**
   * From now on what the run created is its ledger's CREATED entries (runs since the {@code
   * resource-ledger} change); before, the free-text lists of {@link #created} and {@link #reused}.
   */
  void keepLedger() {
    keepsLedger = true;
  }

  /** What converging one resource did; a second entry for the same resource replaces the first. */
  void record(LedgerEntry entry) {
    ledger.removeIf(e -> e.kind() == entry.kind() && e.identifier().equals(entry.identifier()));
    ledger.add(entry);
  }

  List<LedgerEntry> ledger() {
    return List.copyOf(ledger);
  }

  /** For the cancellation report: what the run created, changed and reused so far. */
  String soFar() {
    if (!keepsLedger) {
      return "created so far: "
          + describe(createdResources)
          + "; found and reused: "
          + describe(reusedResources);
    }
    return "created so far: "
        + describe(ledgerEntries(Outcome.CREATED))
        + "; changed: "
        + describe(ledgerEntries(Outcome.CHANGED))
        + "; found and reused: "
        + describe(ledgerEntries(Outcome.REUSED));
  }

  /** The ledger's entries with {@code outcome}, as a person reads them. */
  private List<String> ledgerEntries(Outcome outcome) {
    return ledger.stream()
        .filter(e -> e.outcome() == outcome)
        .map(ProgressTracker::resource)
        .toList();
  }

  /**
   * An entry as the lists name it, e.g. {@code publication mz_source} (its outcome is the list).
   */
  static String resource(LedgerEntry entry) {
    String kind = entry.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return kind.replaceFirst("^mz ", "Materialize ")
        + " "
        + entry.identifier()
        + (entry.previous() == null ? "" : " (was " + entry.previous() + ")");
  }

  private static String describe(List<String> resources) {
    return resources.isEmpty() ? "nothing" : String.join(", ", resources);
  }

  void created(String resource) {
    if (!createdResources.contains(resource)) {
      createdResources.add(resource);
    }
  }

  /** What the run created: its ledger's CREATED entries, or the old free-text list. */
  List<String> createdResources() {
    return keepsLedger ? ledgerEntries(Outcome.CREATED) : List.copyOf(createdResources);
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

  void snapshotEstimate(SnapshotEstimate estimate) {
    this.snapshotEstimate = estimate;
  }

  /**
   * The snapshot wait's latest reading; ignored once the snapshot step is over (a reading sent just
   * before the wait returned is older than its result).
   */
  void snapshotProgress(SnapshotProgress reading) {
    StepState state = steps.get(OnboardingStep.SNAPSHOT).state();
    if (state == StepState.RUNNING || state == StepState.WAITING) {
      this.snapshotProgress = reading;
      updatedAt = now();
    }
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
        createdResources(),
        startedAt,
        updatedAt,
        List.copyOf(ledger),
        snapshotEstimate,
        snapshotProgress);
  }

  private void set(OnboardingStep step, StepState state, String message) {
    updatedAt = now();
    steps.put(step, steps.get(step).with(state, updatedAt, message));
    publishDetails();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
