package dev.onramp.cli;

import dev.onramp.workflows.OnboardingWorkflows;

/** An onboarding named on the command line: its workflow id, or region/instance/database. */
public final class Target {
  private Target() {}

  public static String workflowId(String text) {
    if (text.startsWith("onboard/")) {
      return text;
    }
    String[] parts = text.split("/");
    if (parts.length != 3) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "'"
              + text
              + "' does not name an onboarding; write region/instance/database, e.g."
              + " us-east-1/db-1/shop, or its workflow id onboard/us-east-1/db-1/shop");
    }
    return OnboardingWorkflows.workflowId(parts[0], parts[1], parts[2]);
  }

  /**
   * A workflow whose reboot can be decided or that can be cancelled: an onboarding as {@link
   * #workflowId}, or an offboarding by its id {@code offboard/<region>/<instance>/<database>} (its
   * restoring reboot takes the same approveReboot / rejectReboot updates).
   */
  public static String gateWorkflowId(String text) {
    return text.startsWith("offboard/") ? text : workflowId(text);
  }
}
