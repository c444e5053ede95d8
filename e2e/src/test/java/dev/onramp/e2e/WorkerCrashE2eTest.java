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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;

/** A worker killed with SIGKILL mid-reboot-wait; a new one finishes with nothing duplicated. */
class WorkerCrashE2eTest {
  @TempDir Path dir;

  @Test
  void killedWorkerDuringRebootWaitIsReplacedAndNothingIsDuplicated() throws Exception {
    try (E2eEnvironment env = new E2eEnvironment(dir, Duration.ofSeconds(12))) {
      Process first = env.startWorker("worker-1");
      OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);
      OnboardingRequest request =
          OnboardingRequest.of(
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
      String id = client.start(request);

      awaitStep(client, id, OnboardingStep.REBOOT_AND_WAIT, StepState.WAITING);
      first.destroyForcibly().waitFor();
      assertThat(first.isAlive()).isFalse();

      env.startWorker("worker-2");
      OnboardingResult result = client.awaitResult(id, Duration.ofMinutes(4));

      assertThat(result.reboots()).isEqualTo(1);
      Seed.assertOnboarded(env, result.tables());
      try (RdsClient rds =
          RdsClient.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(env.aws.endpoint())
              .build()) {
        long reboots =
            rds
                .describeEvents(
                    b ->
                        b.sourceIdentifier(E2eEnvironment.INSTANCE)
                            .sourceType("db-instance")
                            .duration(60))
                .events()
                .stream()
                .filter(e -> e.message().equals("DB instance restarted"))
                .count();
        assertThat(reboots).as("reboot events").isEqualTo(1);
      }
    }
  }

  private static void awaitStep(
      OnboardingClient client, String id, OnboardingStep step, StepState state)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    OnboardingProgress p = null;
    while (Instant.now().isBefore(deadline)) {
      p = client.progress(id);
      if (p.step(step).state() == state) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never reached " + step + " " + state + ": " + p);
  }
}
