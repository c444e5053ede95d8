package dev.onramp.cli;

import dev.onramp.workflows.OnboardingWorkflows;

/**
 * An onboarding named on the command line: its workflow id, or region/instance/database; or an
 * offboarding by its workflow id ({@code offboard/...}).
 */
public final class Target {
  private Target() {}

  public static String workflowId(String text) {
    // An offboarding's id too: approve and reject address its restoring reboot the same way.
    if (text.startsWith("onboard/") || text.startsWith("offboard/")) {
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
}
