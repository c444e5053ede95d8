package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.StepState;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.WaitSettings;
import dev.onramp.workflows.client.OnboardingClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The servers under a run restart while it waits: the Temporal dev server (file-backed, {@code
 * --db-filename}) during the reboot wait and during the snapshot, the AWS emulator (its state
 * directory, DB instances and their PostgreSQL servers) during the reboot, the Materialize stand-in
 * (its catalog in its state directory) during the snapshot. One onboarding goes through all four;
 * it must complete with exactly one of every resource.
 */
class ServerRestartsE2eTest {
  private final Path dir = Path.of("target", "proof-runs", "server-restarts");

  @Test
  void temporalAwsAndMaterializeRestartedMidRunAndTheRunCompletesWithNothingDuplicated()
      throws Exception {
    ProofLog proof = ProofLog.begin("server-restarts");
    ProofLog.clean(dir);
    // A reboot long enough for two restarts inside it; a snapshot held open for two more.
    try (E2eEnvironment env =
        new E2eEnvironment(Files.createDirectories(dir), Duration.ofSeconds(25))) {
      env.mz.faults().slowSnapshot(Duration.ofSeconds(30));
      env.startWorker("worker");
      OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);
      String id = client.start(request());

      awaitStep(client, id, OnboardingStep.REBOOT_AND_WAIT, StepState.WAITING);
      env.temporal.restart();
      String temporalInReboot = stateOf(client, id, OnboardingStep.REBOOT_AND_WAIT);
      assertThat(env.instance().status())
          .as("the instance is still rebooting")
          .isNotEqualTo("available");
      env.restartAws();
      String awsInReboot = env.instance().status();

      awaitStep(client, id, OnboardingStep.SNAPSHOT, StepState.WAITING);
      // The snapshot is held open for 30 s: both restarts happen while it is not committed.
      env.temporal.restart();
      String temporalInSnapshot = stateOf(client, id, OnboardingStep.SNAPSHOT);
      env.restartMaterialize();
      String mzInSnapshot = stateOf(client, id, OnboardingStep.SNAPSHOT);

      OnboardingResult result = client.awaitResult(id, Duration.ofMinutes(5));
      Seed.assertOnboarded(env, result.tables());
      Map<String, Integer> census = ResourceCensus.count(env);
      int duplicated = ResourceCensus.duplicated(census, ResourceCensus.expected());
      StringBuilder logs = new StringBuilder(env.temporal.client().fetchHistory(id).toJson(true));
      logs.append(Files.readString(dir.resolve("worker.log")));
      int secrets = SecretScan.occurrences(logs.toString(), SecretScan.secrets(env));
      String outcome = "completed";
      proof.row(
          "restart",
          "Temporal dev server during the reboot wait",
          outcome,
          duplicated,
          secrets,
          "reboot step " + temporalInReboot + " after the restart");
      proof.row(
          "restart",
          "AWS emulator during the reboot",
          outcome,
          duplicated,
          secrets,
          "instance " + awsInReboot + " after the restart");
      proof.row(
          "restart",
          "Materialize stand-in during the snapshot",
          outcome,
          duplicated,
          secrets,
          "snapshot step " + mzInSnapshot + " after the restart");
      proof.row(
          "restart",
          "Temporal dev server during the snapshot",
          outcome,
          duplicated,
          secrets,
          "snapshot step " + temporalInSnapshot + " after the restart");
      System.out.println("Server restarts: census " + census + ", reboots " + result.reboots());
      assertThat(result.reboots()).isEqualTo(1);
      assertThat(census).isEqualTo(ResourceCensus.expected());
      assertThat(secrets).isZero();
    }
  }

  private static String stateOf(OnboardingClient client, String id, OnboardingStep step) {
    return step + " " + client.progress(id).step(step).state();
  }

  static OnboardingRequest request() {
    return OnboardingRequest.of(
            E2eEnvironment.REGION,
            E2eEnvironment.INSTANCE,
            E2eEnvironment.DATABASE,
            TableSelection.tables("orders", "\"Line \"\"Items\"\"; x\""))
        .withRebootPolicy(RebootPolicy.IMMEDIATE)
        .withWaits(
            new WaitSettings(
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(5)));
  }

  static void awaitStep(OnboardingClient client, String id, OnboardingStep step, StepState state)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(180);
    OnboardingProgress p = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        p = client.progress(id);
        if (p.step(step).state() == state) {
          return;
        }
      } catch (RuntimeException notAnsweringYet) {
        // a query needs a worker; right after a restart it may time out
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never reached " + step + " " + state + ": " + p);
  }
}
