package dev.onramp.e2e;

import static dev.onramp.e2e.ServerRestartsE2eTest.awaitStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.StepState;
import dev.onramp.workflows.WaitSettings;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fault storms through the stand-ins' fault injection, against one instance, three runs: an
 * instance stuck in {@code modifying} past the run's wait bound, a reboot that never applies the
 * parameter (twice), then a run through throttling beyond the SDK's retries, a burst of 5xx,
 * answers slower than the SDK's call timeout, Materialize unreachable during source creation for
 * longer than a retry, and the upstream unreachable during the snapshot. The first two end in one
 * typed failure whose message names the fix; the third completes with nothing duplicated.
 */
class FaultStormsE2eTest {
  private final Path dir = Path.of("target", "proof-runs", "fault-storms");

  @Test
  void everyStormEndsCompletedOrInOneTypedFailureThatNamesTheFix() throws Exception {
    ProofLog proof = ProofLog.begin("fault-storms");
    ProofLog.clean(dir);
    try (E2eEnvironment env =
        new E2eEnvironment(Files.createDirectories(dir), Duration.ofSeconds(2))) {
      // The SDK gives up on a call after 3 s (production: 60 s), so "slower than the call
      // timeout" costs seconds here.
      env.startWorker(
          "worker", Map.of(WorkerProcess.AWS_CALL_TIMEOUT_MS, "3000"), dir.resolve("worker.log"));
      OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);
      Map<String, String> noSecrets = SecretScan.secrets(env);

      // 1. Stuck in modifying (a long storage optimization, say) past the 10 s wait bound.
      // (Stuck after onramp's own ModifyDBInstance is the same wait. A mutating call that meets a
      // busy instance is retried for its own bound, 20 minutes: InvalidDBInstanceState.)
      env.aws.inject(Fault.stuck(E2eEnvironment.INSTANCE, "modifying"));
      String id = client.start(request(Duration.ofSeconds(10)));
      ApplicationFailure stuck = failure(client, id);
      env.aws.faults().clear();
      proof.row(
          "fault",
          "instance stuck in modifying past the wait bound (10 s)",
          "failed: " + stuck.getType(),
          0,
          scan(env, id, noSecrets),
          stuck.getOriginalMessage());
      assertThat(stuck.getType()).isEqualTo(OnboardingFailures.INSTANCE_STATE);
      assertThat(stuck.getOriginalMessage())
          .contains("gave up after 10s")
          .contains("modifying")
          .contains("run onramp again");

      // 2. Both reboots restart PostgreSQL without applying the parameter group.
      env.aws.inject(Fault.rebootWithoutApply(E2eEnvironment.INSTANCE, 2));
      // maxReboots 2: the run reboots a second time (through its gate) before it gives up.
      id = client.start(request(Duration.ofMinutes(5)).withMaxReboots(2));
      ApplicationFailure notApplied = failure(client, id);
      env.aws.faults().clear();
      proof.row(
          "fault",
          "a reboot that never applies the parameter (twice)",
          "failed: " + notApplied.getType(),
          0,
          scan(env, id, noSecrets),
          notApplied.getOriginalMessage());
      assertThat(notApplied.getType()).isEqualTo(OnboardingFailures.PARAMETER_NOT_APPLIED);
      assertThat(notApplied.getOriginalMessage())
          .contains("after 2 reboot(s)")
          .contains("DescribeDBParameters")
          .contains("run onramp again");

      // 3. Storms that pass: the run completes.
      env.aws.inject(Fault.throttle("RebootDBInstance", 10));
      env.aws.inject(Fault.serverError("DescribeDBInstances", 12, 503));
      env.aws.inject(
          new Fault("latency", "AuthorizeSecurityGroupIngress", 2, 5000L, null, null, null));
      id = client.start(request(Duration.ofMinutes(5)));
      // Materialize goes down once the network step is done, as source creation begins (a DONE
      // step stays DONE, so this cannot be missed), for 12 s: longer than the first two retries'
      // back-off (2 s, 4 s); the five minutes scaled down with the run's waits (the
      // production bound of a Materialize call is 15 minutes).
      awaitStep(client, id, OnboardingStep.NETWORK, StepState.DONE);
      env.restartMaterialize(Duration.ofSeconds(12));
      String stepWhenBack = client.progress(id).currentStep().toString();
      // Held open so that the snapshot is still running when the upstream goes away.
      env.mz.faults().slowSnapshot(Duration.ofSeconds(12));
      awaitStep(client, id, OnboardingStep.SNAPSHOT, StepState.WAITING);
      env.mz.faults().upstreamUnreachable(true);
      Thread.sleep(6_000);
      env.mz.faults().upstreamUnreachable(false);
      OnboardingResult result = client.awaitResult(id, Duration.ofMinutes(5));
      Seed.assertOnboarded(env, result.tables());
      Map<String, Integer> census = ResourceCensus.count(env);
      Map<String, Integer> expected = ResourceCensus.expected();
      // Run 2 rebooted twice, run 3 once.
      expected.put("reboots (event log)", 3);
      int duplicated = ResourceCensus.duplicated(census, expected);
      int secrets = scan(env, id, SecretScan.secrets(env));
      for (String storm :
          new String[] {
            "throttling beyond the SDK's 8 attempts (RebootDBInstance x10)",
            "a burst of 5xx (DescribeDBInstances x12, 503)",
            "latency beyond the SDK call timeout (AuthorizeSecurityGroupIngress 5 s > 3 s, x2)",
            "Materialize unreachable during source creation (12 s; step when it came back: "
                + stepWhenBack
                + ")",
            "upstream unreachable during the snapshot (6 s)"
          }) {
        proof.row("fault", storm, "completed", duplicated, secrets, "one run through all five");
      }
      System.out.println("Fault storms: census " + census);
      assertThat(census).isEqualTo(expected);
      assertThat(secrets).isZero();
    }
  }

  private static ApplicationFailure failure(OnboardingClient client, String id) throws Exception {
    try {
      client.awaitResult(id, Duration.ofMinutes(4));
    } catch (WorkflowFailedException e) {
      assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
      return (ApplicationFailure) e.getCause();
    }
    throw new AssertionError(id + " completed; a typed failure was expected");
  }

  private static int scan(E2eEnvironment env, String id, Map<String, String> secrets)
      throws Exception {
    return SecretScan.occurrences(
        env.temporal.client().fetchHistory(id).toJson(true)
            + Files.readString(env.dir.resolve("worker.log")),
        secrets);
  }

  private static OnboardingRequest request(Duration awsMaxWait) {
    return ServerRestartsE2eTest.request()
        .withWaits(
            new WaitSettings(
                Duration.ofSeconds(1),
                awsMaxWait,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(5)));
  }
}
