package dev.onramp.workflows;

import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.RdsActivities;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * What must happen before onramp reboots an instance: nothing (IMMEDIATE), a person's approval
 * (APPROVAL) or the instance's maintenance window (MAINTENANCE_WINDOW). Knows nothing of the
 * onboarding request, so that the offboarding's re-association can pass the same gate.
 */
public final class RebootGate {

  /**
   * The gate of one instance. {@code rebootSafety}: the approval in the deadline's workflow task
   * counts and the window is read again after its timer (false only for onboarding runs started
   * before the {@code reboot-safety} change; docs/versioning.md).
   */
  public record Settings(
      RebootPolicy policy,
      Duration approvalTimeout,
      String region,
      String dbInstanceId,
      String maintenanceWindow,
      boolean rebootSafety) {}

  /** Where the gate reports its waits (the workflow's progress). */
  public interface Listener {
    void waiting(OnboardingStatus status, String what);

    void resumed();
  }

  /** What let the reboot through; {@code described} is the instance as last read, or null. */
  public record Passed(String how, DbInstanceInfo described) {}

  private final Settings settings;
  private final RdsActivities rds;
  private final RebootApproval approval;
  private final Listener listener;

  /**
   * The window as last read: a later reboot's gate uses what the earlier one read after its timer.
   */
  private String windowText;

  public RebootGate(
      Settings settings, RdsActivities rds, RebootApproval approval, Listener listener) {
    this.settings = settings;
    this.windowText = settings.maintenanceWindow();
    this.rds = rds;
    this.approval = approval;
    this.listener = listener;
  }

  /**
   * The gate for one reboot. {@code diagnosis} says why a reboot after the first is needed (null
   * for the first); {@code rebootsSoFar} and {@code group} (the parameter group left pending
   * reboot) go into the messages.
   */
  public Passed pass(String diagnosis, int rebootsSoFar, String group) {
    return switch (settings.policy()) {
      case IMMEDIATE -> new Passed("reboot policy IMMEDIATE", null);
      case APPROVAL -> new Passed(awaitApproval(diagnosis, rebootsSoFar, group), null);
      case MAINTENANCE_WINDOW -> awaitMaintenanceWindow(diagnosis);
    };
  }

  private String awaitApproval(String diagnosis, int reboots, String group) {
    String id = settings.dbInstanceId();
    Duration timeout = settings.approvalTimeout();
    Instant deadline = now().plus(timeout);
    approval.open();
    listener.waiting(
        OnboardingStatus.WAITING_FOR_APPROVAL,
        (diagnosis == null ? "" : diagnosis + "; ")
            + "approval to reboot "
            + id
            + (reboots > 0 ? " again (reboot " + (reboots + 1) + ")" : "")
            + " (onramp approve / reject, the approveReboot update, or the rebootDecision signal"
            + " from the Web UI) until "
            + deadline);
    PersonNotices.approvalPending(id, diagnosis == null ? "" : diagnosis);
    // What Workflow.await(timeout, condition) does in SDK 1.38 (a timer, not cancelled when the
    // condition holds: its SDK flag CANCEL_AWAIT_TIMER_ON_CONDITION is off), with a summary the
    // Web UI shows on the timer; same commands, so recorded histories replay unchanged.
    io.temporal.workflow.Promise<Void> deadlineTimer =
        Workflow.newTimer(timeout, WebUiMetadata.timer("approval deadline for rebooting " + id));
    Workflow.await(() -> deadlineTimer.isCompleted() || approval.decision() != null);
    boolean decided = !deadlineTimer.isCompleted();
    // An approval that arrives in the same workflow task as the deadline's timer counts:
    // await reports the timeout even when the condition became true in that task.
    if (settings.rebootSafety()) {
      decided = decided || approval.decision() != null;
    }
    approval.close();
    String after = reboots == 0 ? "" : " after " + reboots + " reboot(s)";
    if (!decided) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.APPROVAL_TIMED_OUT,
          "no one approved the reboot of "
              + id
              + " within "
              + HumanDurations.format(timeout)
              + after
              + "; the parameter group "
              + group
              + " stays associated, pending reboot. Start the onboarding again to ask again,"
              + " or reboot in a maintenance window");
    }
    RebootDecision decision = approval.decision();
    if (!decision.approved()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.REBOOT_REJECTED,
          "reboot of "
              + id
              + " rejected by "
              + decision.by()
              + (decision.reason() == null ? "" : ": " + decision.reason())
              + after
              + "; parameter group "
              + group
              + " stays associated, pending reboot");
    }
    listener.resumed();
    return "reboot approved by " + decision.by();
  }

  /**
   * Waits for the instance's maintenance window: the current one for the first reboot, the next
   * opening for a later one (the current window already had its reboot). The window is read again
   * after the timer, since it may have changed while the run slept.
   */
  private Passed awaitMaintenanceWindow(String diagnosis) {
    DbInstanceInfo described = null;
    MaintenanceWindow window = window(settings.dbInstanceId(), windowText);
    Duration delay = diagnosis == null ? window.delayFrom(now()) : window.delayToNextOpening(now());
    while (!delay.isZero()) {
      listener.waiting(
          OnboardingStatus.WAITING_FOR_MAINTENANCE_WINDOW,
          (diagnosis == null ? "" : diagnosis + "; ")
              + "maintenance window "
              + window.text()
              + " opening at "
              + now().plus(delay));
      Workflow.newTimer(
              delay,
              WebUiMetadata.timer(
                  "maintenance window " + window.text() + " of " + settings.dbInstanceId()))
          .get();
      if (!settings.rebootSafety()) {
        break;
      }
      described = rds.describeInstance(settings.region(), settings.dbInstanceId());
      windowText = described.preferredMaintenanceWindow();
      window = window(settings.dbInstanceId(), windowText);
      delay = window.delayFrom(now());
    }
    listener.resumed();
    return new Passed("in maintenance window " + window.text(), described);
  }

  /** The instance's maintenance window, or a failure that says how to fix an unreadable one. */
  static MaintenanceWindow window(String dbInstanceId, String text) {
    try {
      return MaintenanceWindow.parse(text);
    } catch (IllegalArgumentException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_STATE,
          "instance "
              + dbInstanceId
              + " reports "
              + e.getMessage()
              + "; fix its PreferredMaintenanceWindow (ModifyDBInstance) or use reboot policy"
              + " APPROVAL");
    }
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
