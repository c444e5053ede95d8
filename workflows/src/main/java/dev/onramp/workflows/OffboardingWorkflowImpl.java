package dev.onramp.workflows;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.slf4j.Logger;

/**
 * Offboarding as a durable workflow: reads the ledger of the target's onboardings, then removes in
 * reverse order, one part per outside system (schedule, Materialize, upstream, ingress, secret,
 * optionally the parameter group). A part whose system stays unreachable for {@code
 * unreachableAfter} is left over, with how to finish, and the other parts go on; a second run
 * finishes it (every removal is idempotent: what is gone is ALREADY_GONE).
 */
public class OffboardingWorkflowImpl implements OffboardingWorkflow {
  private static final Logger log = Workflow.getLogger(OffboardingWorkflowImpl.class);

  private final OffboardingTracker progress = new OffboardingTracker();
  private final RebootApproval approval = new RebootApproval();

  @Override
  public OffboardingResult offboard(OffboardingRequest input) {
    List<String> problems = OffboardingRequest.problems(input);
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OffboardingRequest request = input.withDefaults();
    progress.begin(request.dbInstanceId(), request.database());
    try {
      OffboardingResult result =
          new OffboardingRun(
                  request, new OffboardingActivities(request.waits()), progress, approval)
              .all();
      progress.status(OnboardingStatus.COMPLETED);
      return result;
    } catch (RuntimeException e) {
      if (CancellationScope.current().isCancelRequested()) {
        progress.status(OnboardingStatus.CANCELLED);
        throw e instanceof CanceledFailure c ? c : new CanceledFailure("offboarding cancelled");
      }
      ApplicationFailure failure =
          e instanceof ApplicationFailure af
              ? af
              : OnboardingFailures.nonRetryable(
                  OnboardingFailures.INSTANCE_STATE,
                  "could not read the onboarding's record from Temporal: "
                      + RemovalReport.rootMessage(e),
                  e);
      progress.failed(failure.getOriginalMessage());
      log.warn("offboarding failed: {}", failure.getOriginalMessage());
      throw failure;
    }
  }

  @Override
  public OffboardingProgress progress() {
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
  public void rebootDecision(RebootDecision signalled) {
    if (!approval.signal(signalled)) {
      log.warn("ignored a rebootDecision signal: no reboot approval is pending");
    }
  }

  private void requirePendingApproval() {
    if (!approval.awaitingDecision()) {
      OffboardingProgress p = progress.snapshot();
      throw new IllegalStateException(
          "no reboot approval is pending for the offboarding of "
              + p.dbInstanceId()
              + " (now: "
              + p.part()
              + ", status "
              + p.status()
              + ")");
    }
  }
}
