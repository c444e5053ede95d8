package dev.onramp.workflows;

import dev.onramp.activities.notify.NotifyActivities;
import dev.onramp.activities.notify.PersonNotice;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Tells a person when they must act (an approval is pending) or look (an onboarding failed),
 * through the worker's webhook. A webhook that fails never changes the onboarding: it is logged.
 * Runs that started before {@value #CHANGE} do not call it (replay).
 */
final class PersonNotices {
  static final String CHANGE = "notify-person";
  private static final Logger log = Workflow.getLogger(PersonNotices.class);

  private PersonNotices() {}

  /** The reboot waits for approval: the commands to approve or reject it. */
  static void approvalPending(String instance, String why) {
    String target = Workflow.getInfo().getWorkflowId();
    tell(
        target + "/approval/" + Workflow.currentTimeMillis(),
        "tell a person: approval pending to reboot " + instance,
        "onramp: approval pending to reboot "
            + instance
            + " ("
            + target
            + ")\n"
            + why
            + "\napprove: onramp approve "
            + target
            + "\nreject:  onramp reject "
            + target
            + " --reason '...'");
  }

  /** The onboarding failed: its message says which step and what to fix. */
  static void onboardingFailed(String message) {
    String target = Workflow.getInfo().getWorkflowId();
    tell(
        target + "/failed/" + Workflow.getInfo().getRunId(),
        "tell a person: the onboarding failed",
        "onramp: onboarding " + target + " failed\n" + message + "\nsee: onramp status " + target);
  }

  private static void tell(String key, String summary, String text) {
    if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    NotifyActivities notify =
        Workflow.newActivityStub(
            NotifyActivities.class,
            io.temporal.activity.ActivityOptions.newBuilder(
                    OnboardingActivities.call(Duration.ofMinutes(2)))
                .setSummary(summary)
                .build());
    try {
      notify.notifyPerson(new PersonNotice(key, text));
    } catch (ActivityFailure e) {
      log.warn(
          "could not notify ({}): {}", key, e.getCause() == null ? e : e.getCause().getMessage());
    }
  }
}
