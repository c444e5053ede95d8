package dev.onramp.workflows;

import dev.onramp.activities.materialize.SnapshotProgress;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.upstream.UpstreamObjects;
import dev.onramp.activities.upstream.WalSafety;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.slf4j.Logger;

/**
 * The onboarding procedure of the seed document as a durable workflow; steps as in the design:
 * {@link Preflight} (1), {@link RebootPath} (2–5), {@link ObjectSteps} (6–8), {@link FinishSteps}
 * (9–11), each changing things through {@link ResourceCalls}.
 */
public class OnboardingWorkflowImpl implements OnboardingWorkflow {
  private static final Logger log = Workflow.getLogger(OnboardingWorkflowImpl.class);

  /** The change id of the reboot path's version; see docs/versioning.md. */
  static final String REBOOT_SAFETY_CHANGE = "reboot-safety";

  /**
   * Evidence-based waits after ModifyDBInstance and RebootDBInstance, the gate before every reboot,
   * pending modifications and the maintenance window checked at preflight, the window read again
   * after its timer, an approval in the deadline's workflow task counted as given, and mutating
   * calls that a cancel waits for.
   */
  static final int REBOOT_SAFETY = 1;

  /** Version marker: runs before it did not check ownership in preflight. */
  static final String OWNERSHIP_CHECKS = "ownership-checks";

  /** The change id of the resource model's one-record converge calls and the typed ledger. */
  static final String RESOURCE_LEDGER_CHANGE = "resource-ledger";

  /**
   * Every change goes through one converge call per resource ({@link LedgerResourceCalls}) whose
   * typed outcome the progress and the result carry; before it, the old calls and free text.
   */
  static final int RESOURCE_LEDGER = 1;

  private final ProgressTracker progress = new ProgressTracker();
  private final RebootApproval approval = new RebootApproval();
  private final NetworkConfirmation networkConfirmation = new NetworkConfirmation();

  @Override
  public OnboardingResult onboard(OnboardingRequest input) {
    List<String> problems = RequestValidator.problems(input);
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OnboardingRequest request = input.withDefaults();
    progress.begin(request.dbInstanceId(), request.database());
    progress.showInWebUi();
    int rebootPath =
        Workflow.getVersion(REBOOT_SAFETY_CHANGE, Workflow.DEFAULT_VERSION, REBOOT_SAFETY);
    boolean rebootSafety = rebootPath >= REBOOT_SAFETY;
    // Read once at the start, as reboot-safety is, so that all of one run takes one branch.
    boolean keepsLedger =
        Workflow.getVersion(RESOURCE_LEDGER_CHANGE, Workflow.DEFAULT_VERSION, RESOURCE_LEDGER)
            >= RESOURCE_LEDGER;
    OnboardingActivities act =
        new OnboardingActivities(
            request.waits(), rebootSafety, request.dbInstanceId(), request.database());
    // lean-history, read once at the start as well: the read-only calls as local activities.
    ReadCalls reads =
        Workflow.getVersion(
                    ReadCalls.LEAN_HISTORY_CHANGE, Workflow.DEFAULT_VERSION, ReadCalls.LEAN_HISTORY)
                >= ReadCalls.LEAN_HISTORY
            ? ReadCalls.local(request.dbInstanceId(), request.database(), act)
            : ReadCalls.ordinary(act);
    // Where the run was when the cancel arrived: the call in flight then finishes (changing calls
    // wait for their cancellation), and the run stops at its next call, maybe a step later.
    String[] cancelArrived = new String[2];
    CancellationScope.current()
        .getCancellationRequest()
        .thenApply(
            reason -> {
              cancelArrived[0] = progress.currentStep().name();
              cancelArrived[1] = progress.currentStepMessage();
              return null;
            });
    try {
      OnboardingResult result = execute(request, act, reads, rebootSafety, keepsLedger);
      progress.status(OnboardingStatus.COMPLETED);
      log.info(
          "onboarded {} with source {} ({} reboots)",
          result.tables(),
          result.source(),
          result.reboots());
      return result;
    } catch (RuntimeException e) {
      if (CancellationScope.current().isCancelRequested()) {
        // A cancelled run's close event keeps no message, so the report lives in the progress
        // query (which answers after the run is closed) and the workflow log.
        // Mutating activities wait for their cancellation to complete (OnboardingActivities), so
        // by now nothing onramp started is still changing things.
        String during = cancelArrived[0] == null ? progress.currentStep().name() : cancelArrived[0];
        String inFlight =
            cancelArrived[0] == null ? progress.currentStepMessage() : cancelArrived[1];
        String summary =
            "cancelled during "
                + during
                + (inFlight == null ? "" : " (in flight: " + inFlight + ")")
                + (during.equals(progress.currentStep().name())
                    ? ""
                    : "; stopped before " + progress.currentStep())
                + "; "
                + progress.soFar();
        progress.cancelled(summary);
        log.info("onboarding {}", summary);
        throw new CanceledFailure(summary);
      }
      ApplicationFailure failure =
          FailureExplainer.explain(e, progress.currentStep().title(), request.waits().awsMaxWait());
      progress.failed(failure.getOriginalMessage());
      log.warn("onboarding failed in {}: {}", progress.currentStep(), failure.getOriginalMessage());
      PersonNotices.onboardingFailed(failure.getOriginalMessage());
      throw failure;
    }
  }

  private OnboardingResult execute(
      OnboardingRequest request,
      OnboardingActivities act,
      ReadCalls reads,
      boolean rebootSafety,
      boolean keepsLedger) {
    if (keepsLedger) {
      progress.keepLedger();
    }
    Preflighted found = new Preflight(request, act, reads, progress, rebootSafety).run();
    ResourceCalls calls =
        keepsLedger
            ? new LedgerResourceCalls(found, act, progress)
            : new LegacyResourceCalls(found, act, progress);
    RebootPath rebootPath = new RebootPath(found, act, progress, calls, approval, rebootSafety);
    found = rebootPath.run();
    WalSafety walSafety = new WalSafetyStep(found, progress).run();
    ObjectSteps objects = new ObjectSteps(found, progress, calls);
    UpstreamObjects upstream = objects.upstreamObjects();
    if (NetworkSetup.appliesTo(request)) {
      new NetworkSetup(found, progress, networkConfirmation).run();
    } else {
      objects.network();
    }
    SourceInfo source = objects.materializeObjects(upstream);
    FinishSteps finish = new FinishSteps(found, act, reads, progress, calls);
    SnapshotStatus snapshot = finish.snapshot();
    String size = finish.rightSize();
    finish.reverification();
    return new OnboardingResult(
        request.dbInstanceId(),
        request.database(),
        rebootPath.parameterGroup(),
        rebootPath.reboots(),
        upstream.publication(),
        upstream.replicationUser(),
        source.name(),
        source.relations(),
        snapshot.snapshotRecordsStaged(),
        size,
        progress.createdResources(),
        progress.ledger(),
        walSafety);
  }

  @Override
  public OnboardingProgress progress() {
    return progress.snapshot();
  }

  @Override
  public RebootDecision approveReboot(String approver) {
    return approval.decide(true, approver, null);
  }

  @Override
  public void validateApproveReboot(String approver) {
    requirePendingApproval();
  }

  @Override
  public RebootDecision rejectReboot(String approver, String reason) {
    return approval.decide(false, approver, reason);
  }

  @Override
  public void validateRejectReboot(String approver, String reason) {
    requirePendingApproval();
  }

  @Override
  public void snapshotProgress(SnapshotProgress reading) {
    progress.snapshotProgress(reading);
  }

  @Override
  public void rebootDecision(RebootDecision signalled) {
    if (!approval.signal(signalled)) {
      log.warn("ignored a rebootDecision signal: no reboot approval is pending");
    }
  }

  @Override
  public NetworkConfirmed confirmNetwork(String by) {
    return networkConfirmation.confirm(by);
  }

  @Override
  public void validateConfirmNetwork(String by) {
    if (!networkConfirmation.awaitingConfirmation()) {
      throw new IllegalStateException(
          "no network confirmation is pending for "
              + progress.snapshot().dbInstanceId()
              + " (current step "
              + progress.currentStep()
              + ", status "
              + progress.snapshot().status()
              + ")");
    }
  }

  @Override
  public void networkConfirmed(String by) {
    if (!networkConfirmation.signal(by)) {
      log.warn("ignored a networkConfirmed signal: no network confirmation is pending");
    }
  }

  private void requirePendingApproval() {
    if (!approval.awaitingDecision()) {
      throw new IllegalStateException(
          "no reboot approval is pending for "
              + progress.snapshot().dbInstanceId()
              + " (current step "
              + progress.currentStep()
              + ", status "
              + progress.snapshot().status()
              + ")");
    }
  }
}
