package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.materialize.MaterializeActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded history under {@code src/test/resources/histories} (every path, including
 * runs still open and runs recorded by earlier versions of the code) with today's workflow code: a
 * change that would break a run in flight fails here. See docs/versioning.md.
 */
class ReplayCorpusTest {

  static Stream<Path> histories() throws IOException, URISyntaxException {
    Path root = Path.of(ReplayCorpusTest.class.getResource("/histories").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      return all.stream();
    }
  }

  static WorkflowExecutionHistory load(Path file) throws IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static TestWorkflowEnvironment env;
  private static Worker replayer;

  /**
   * One replaying worker whose deadlock detector allows 30 s instead of 1 s: the first replay loads
   * and compiles the workflow classes, which on a loaded 2-core machine can hold the workflow
   * thread past a second without any deadlock in the code.
   */
  @BeforeAll
  static void replayer() {
    env = TestWorkflowEnvironment.newInstance();
    replayer =
        env.newWorker(
            "replay",
            WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
    replayer.registerWorkflowImplementationTypes(
        OnboardingWorkflowImpl.class,
        VerificationWorkflowImpl.class,
        PlanWorkflowImpl.class,
        OffboardingWorkflowImpl.class,
        FleetWorkflowImpl.class);
  }

  @AfterAll
  static void close() {
    env.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void replays(Path file) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(load(file), replayer);
  }

  @Test
  void theCorpusCoversEveryPath() throws Exception {
    List<String> names =
        histories().map(p -> p.getFileName().toString().replace(".json", "")).toList();
    assertThat(names)
        .contains(
            "already-on",
            "default-group-immediate",
            "shared-group-copied",
            "approval-approved",
            "approval-rejected",
            "approval-timed-out",
            "maintenance-window",
            "two-reboots-approved",
            "cancelled-during-reboot",
            "open-waiting-for-approval",
            "verification",
            "complete-walk",
            "upstream-unreachable",
            "restore-immediate",
            "restore-approved",
            "restore-rejected",
            "verification-drift",
            "snapshot-size-shrunk");
  }

  /** The replay catches an incompatible change: one more activity before the approval wait. */
  @Test
  void anIncompatibleChangeFailsReplay() throws Exception {
    Path approved =
        histories()
            .filter(p -> p.getFileName().toString().equals("approval-approved.json"))
            .findFirst()
            .orElseThrow();

    // The wrapper alone is compatible, so what fails below is the extra step.
    WorkflowReplayer.replayWorkflowExecution(load(approved), TodaysOnboarding.class);

    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    load(approved), OnboardingWithAnExtraStep.class))
        .hasStackTraceContaining("NonDeterministicException")
        .hasStackTraceContaining("does not match command type COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK");
  }

  /** Today's workflow behind a wrapper registered under the same type, OnboardingWorkflow. */
  public static class TodaysOnboarding implements OnboardingWorkflow {
    private final OnboardingWorkflowImpl today = new OnboardingWorkflowImpl();

    @Override
    public OnboardingResult onboard(OnboardingRequest request) {
      return today.onboard(request);
    }

    @Override
    public OnboardingProgress progress() {
      return today.progress();
    }

    @Override
    public RebootDecision approveReboot(String approver) {
      return today.approveReboot(approver);
    }

    @Override
    public void validateApproveReboot(String approver) {
      today.validateApproveReboot(approver);
    }

    @Override
    public RebootDecision rejectReboot(String approver, String reason) {
      return today.rejectReboot(approver, reason);
    }

    @Override
    public void validateRejectReboot(String approver, String reason) {
      today.validateRejectReboot(approver, reason);
    }

    @Override
    public void rebootDecision(RebootDecision decision) {
      today.rebootDecision(decision);
    }

    @Override
    public NetworkConfirmed confirmNetwork(String by) {
      return today.confirmNetwork(by);
    }

    @Override
    public void validateConfirmNetwork(String by) {
      today.validateConfirmNetwork(by);
    }

    @Override
    public void networkConfirmed(String by) {
      today.networkConfirmed(by);
    }
  }

  /**
   * Today's workflow with one unversioned change: it asks Materialize for its version before
   * anything else, so before the approval wait, adding a command where the recorded runs have none.
   * Production code is untouched.
   */
  public static class OnboardingWithAnExtraStep extends TodaysOnboarding {
    @Override
    public OnboardingResult onboard(OnboardingRequest request) {
      Workflow.newActivityStub(
              MaterializeActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build())
          .describe();
      return super.onboard(request);
    }
  }
}
