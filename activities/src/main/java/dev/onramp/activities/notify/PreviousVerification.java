package dev.onramp.activities.notify;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The findings of a target's previous re-verification run, as Temporal keeps them: the report is
 * the run's result when it was healthy, and the details of its {@code DriftFound} failure
 * otherwise. So what was already told survives a worker restart without a store of onramp's own.
 * Runs are found through the visibility store (type {@code VerificationWorkflow} and the {@code
 * DbInstance} search attribute, both plain keywords) and matched by workflow id here: the
 * schedule's runs ({@code verify/<region>/<instance>/<database>-<time>}) and {@code onramp
 * verify}'s ({@code .../now-<uuid>}).
 */
public final class PreviousVerification implements PreviousFindings {
  /** How many closed runs to read back, newest first, for one that carries a report. */
  private static final int LOOK_BACK = 5;

  private final WorkflowClient client;

  public PreviousVerification(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Optional<List<Finding>> findings(String target, String currentRunId) {
    String[] parts = target.split("/", 3);
    if (parts.length != 3) {
      return Optional.empty();
    }
    // The schedule's id names the database as the request wrote it; onramp verify's runs are
    // named after the onboarding's workflow id (the database's value): the same for plain names.
    String asWritten = "verify/" + target;
    String asValue =
        OnboardingWorkflows.workflowId(parts[0], parts[1], parts[2])
            .replaceFirst("^onboard/", "verify/");
    Pattern ours =
        Pattern.compile(
            "(?:"
                + Pattern.quote(asWritten)
                + "|"
                + Pattern.quote(asValue)
                + ")(-\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z|/now-[0-9a-fA-F-]{36})");
    String query =
        "WorkflowType = 'VerificationWorkflow' AND "
            + OnboardingWorkflows.DB_INSTANCE.getName()
            + " = '"
            + parts[1]
            + "'";
    List<WorkflowExecutionMetadata> closed =
        client
            .listExecutions(query)
            .filter(e -> ours.matcher(e.getExecution().getWorkflowId()).matches())
            .filter(e -> !e.getExecution().getRunId().equals(currentRunId))
            .filter(e -> e.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
            .filter(e -> e.getCloseTime() != null)
            .sorted(Comparator.comparing(WorkflowExecutionMetadata::getCloseTime).reversed())
            .limit(LOOK_BACK)
            .toList();
    for (WorkflowExecutionMetadata run : closed) {
      Optional<VerificationReport> report = report(run);
      if (report.isPresent() && report.get().drift() != null) {
        return Optional.of(report.get().drift());
      }
    }
    return Optional.empty();
  }

  private Optional<VerificationReport> report(WorkflowExecutionMetadata run) {
    var stub =
        client.newUntypedWorkflowStub(
            run.getExecution().getWorkflowId(),
            Optional.of(run.getExecution().getRunId()),
            Optional.empty());
    try {
      return Optional.ofNullable(stub.getResult(VerificationReport.class));
    } catch (WorkflowFailedException e) {
      // DriftFound carries the report; a run that failed otherwise (terminated, timed out, a
      // refused request) has none, and an older run is read instead.
      return OnboardingClient.driftReport(e);
    }
  }
}
