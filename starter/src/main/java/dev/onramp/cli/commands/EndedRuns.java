package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Locale;

/**
 * Temporal answers an update or signal to a run that has ended with NOT_FOUND ("workflow execution
 * already completed"), the same as for a run that never existed. The README's exit codes tell them
 * apart: an onboarding that ended is "refused in the current state" (5), only a missing one is "no
 * such onboarding" (4).
 */
final class EndedRuns {
  private EndedRuns() {}

  /** The exception to report for {@code e}: a refusal when the run exists and has ended. */
  static RuntimeException explain(
      WorkflowClient client, String workflowId, String what, WorkflowNotFoundException e) {
    WorkflowExecutionStatus status;
    try {
      status = client.newUntypedWorkflowStub(workflowId).describe().getStatus();
    } catch (WorkflowNotFoundException missing) {
      return e;
    } catch (RuntimeException unknown) {
      return e;
    }
    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return e;
    }
    String ended = status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
    return new CliException(
        ExitCodes.CONFLICT,
        workflowId + " has ended (" + ended + "): there is no reboot to " + what + " any more");
  }
}
