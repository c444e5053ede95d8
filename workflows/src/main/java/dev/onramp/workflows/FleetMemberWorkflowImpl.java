package dev.onramp.workflows;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

public class FleetMemberWorkflowImpl implements FleetMemberWorkflow {
  private static final Logger log = Workflow.getLogger(FleetMemberWorkflowImpl.class);

  @Override
  public void onboard(String fleetId, int index, OnboardingRequest request) {
    OnboardingRequest r = request.withRebootSlotsFrom(fleetId).withDefaults();
    OnboardingWorkflow onboarding =
        Workflow.newChildWorkflowStub(
            OnboardingWorkflow.class, FleetWorkflows.onboardingOptions(r, fleetId));
    FleetMemberOutcome outcome;
    try {
      OnboardingResult result = onboarding.onboard(r);
      outcome = new FleetMemberOutcome(index, FleetMemberState.SUCCEEDED, summary(result));
    } catch (ChildWorkflowFailure e) {
      boolean cancelled = e.getCause() instanceof CanceledFailure;
      outcome =
          new FleetMemberOutcome(
              index,
              cancelled ? FleetMemberState.CANCELLED : FleetMemberState.FAILED,
              cancelled ? "cancelled" : reason(e));
    } catch (CanceledFailure e) {
      // The fleet cancelled this member; the onboarding is cancelled with it (REQUEST_CANCEL).
      FleetMemberOutcome cancelled =
          new FleetMemberOutcome(index, FleetMemberState.CANCELLED, "fleet cancelled");
      Workflow.newDetachedCancellationScope(() -> report(fleetId, cancelled)).run();
      throw e;
    } catch (TemporalFailure e) {
      // Not started at all, e.g. the same database's onboarding is already running.
      outcome = new FleetMemberOutcome(index, FleetMemberState.FAILED, reason(e));
    }
    report(fleetId, outcome);
  }

  private static void report(String fleetId, FleetMemberOutcome outcome) {
    try {
      Workflow.newExternalWorkflowStub(FleetWorkflow.class, fleetId).memberFinished(outcome);
    } catch (RuntimeException e) {
      // The fleet was terminated: nothing waits for this report any more.
      log.warn("fleet {} did not take the outcome of member {}: {}", fleetId, outcome, e);
    }
  }

  private static String summary(OnboardingResult r) {
    return "source "
        + r.source()
        + ", "
        + r.snapshotRecords()
        + " snapshot records, "
        + r.reboots()
        + " reboot(s)";
  }

  /**
   * What went wrong as the onboarding said it: the outermost application failure's message (the
   * onboarding's own, which says what to fix), else the failure's.
   */
  static String reason(TemporalFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        return a.getOriginalMessage();
      }
    }
    return e.getMessage();
  }
}
