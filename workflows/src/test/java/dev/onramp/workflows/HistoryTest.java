package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the workflow leaves in history: its size, its replayability, and no secret values. */
class HistoryTest extends WorkflowTestSupport {
  static final String RECORDED = "histories/onboard-default-group-immediate.json";

  /** Recorded after preflight gained the ownership checks (version ownership-checks = 1). */
  static final String RECORDED_OWNERSHIP_CHECKS = "histories/onboard-ownership-checks.json";

  /**
   * Recorded after preflight gained the Materialize plan check and relations named after their
   * source (version materialize-preflight = 1).
   */
  static final String RECORDED_MATERIALIZE_PREFLIGHT =
      "histories/onboard-materialize-preflight.json";

  private WorkflowExecutionHistory run(Duration rebootTakes) {
    world.rebootDuration = rebootTakes;
    OnboardingRequest request =
        request(RebootPolicy.IMMEDIATE)
            .withWaits(
                new WaitSettings(null, Duration.ofHours(12), null, null, null).withDefaults());
    result(start(request));
    return client.fetchHistory(OnboardingWorkflows.workflowId(request));
  }

  @Test
  void historyLengthDoesNotDependOnHowLongTheRebootTakes() {
    int fiveMinutes = run(Duration.ofMinutes(5)).getEvents().size();
    long checksFiveMinutes = world.calls.stream().filter("rds.checkRebooted"::equals).count();
    stopTestServer();
    startTestServer();
    int fiveHours = run(Duration.ofHours(5)).getEvents().size();
    long checksFiveHours = world.calls.stream().filter("rds.checkRebooted"::equals).count();

    // The long wait really polled hundreds of times; none of it reached history.
    assertThat(checksFiveHours).isGreaterThan(50 * checksFiveMinutes);
    assertThat(fiveHours).isEqualTo(fiveMinutes);
  }

  @Test
  void noSecretValueAppearsInHistory() {
    String json = PayloadText.decoded(run(Duration.ofMinutes(5)).toJson(true));

    assertThat(world.replicationPassword()).isNotBlank();
    assertThat(json).doesNotContain(world.replicationPassword());
    assertThat(json).doesNotContain(world.adminPassword);
    // The references are there: that is how activities find the values.
    assertThat(json).contains("onramp/us-east-1/db-1/materialize");
  }

  @Test
  void aPollThatRunsOutOfTimeSaysWhatItWaitedFor() {
    world.rebootDuration = Duration.ofHours(5);
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE)); // waits at most 3 hours

    io.temporal.client.WorkflowFailedException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.temporal.client.WorkflowFailedException.class, () -> result(wf));

    assertThat(e.getCause())
        .hasMessageContaining("Reboot and wait for Available: gave up after 3h")
        .hasMessageContaining("last check said: instance db-1 is rebooting");
  }

  @Test
  void recordedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(RECORDED, OnboardingWorkflowImpl.class);
  }

  @Test
  void historyWithOwnershipChecksReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        RECORDED_OWNERSHIP_CHECKS, OnboardingWorkflowImpl.class);
  }

  @Test
  void historyWithTheMaterializePlanCheckReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        RECORDED_MATERIALIZE_PREFLIGHT, OnboardingWorkflowImpl.class);
  }

  @Test
  void freshHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        run(Duration.ofMinutes(5)), OnboardingWorkflowImpl.class);
  }

  /**
   * Re-records the frozen history; run on purpose only, when a deliberate, versioned change of the
   * workflow calls for a new one: {@code mvn -pl workflows test -Dtest=HistoryTest
   * -Donramp.recordHistory=true}, with {@code -Donramp.recordHistoryTo=histories/<new>.json} to
   * keep the old one. Old histories stay, so old runs keep replaying.
   */
  @Test
  void recordHistoryWhenAsked() throws Exception {
    if (!Boolean.getBoolean("onramp.recordHistory")) {
      return;
    }
    Path out =
        Path.of("src/test/resources", System.getProperty("onramp.recordHistoryTo", RECORDED));
    Files.createDirectories(out.getParent());
    Files.writeString(out, run(Duration.ofMinutes(5)).toJson(true), StandardCharsets.UTF_8);
  }
}
