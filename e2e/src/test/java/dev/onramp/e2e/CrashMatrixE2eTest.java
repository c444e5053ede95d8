package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.VerificationWorkflow;
import dev.onramp.workflows.WaitSettings;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The crash matrix: every activity type an onboarding and a re-verification run, killed with the
 * worker (a JVM halt, exit 137, which Temporal cannot tell from SIGKILL) before its body runs,
 * while it runs and after it ended but before its outcome was reported; a new worker then finishes
 * the run, which must end completed with exactly one of every resource.
 *
 * <p>Since {@code lean-history} the short reads run as local activities inside a workflow task:
 * killing one loses that task, and the next worker replays the run and runs the read again from its
 * start (no attempt exists on the server to fail; the task's 10 s timeout passes first). They are
 * killed like the others and counted from their markers.
 *
 * <p>The types are not listed here: the chain puts a fault point on every method of every activity
 * interface on the class path, so each type the run executes is killed the first time it runs, and
 * the run's history is checked to contain no type outside that enumeration. {@code scripts/test}
 * runs one pass (each type killed once; the points rotate over the types so every kind occurs);
 * {@code scripts/test --full} runs three passes, in which every type meets every point.
 */
class CrashMatrixE2eTest {
  /** Kept after the run (worker logs show each death); cleaned when the suite starts. */
  private final Path dir = Path.of("target", "proof-runs", "crash-matrix");

  @Test
  void everyActivityKilledAtEveryPointEndsInACompletedRunWithNothingDuplicated() throws Exception {
    ProofLog proof = ProofLog.begin("crash-matrix");
    ProofLog.clean(dir);
    Set<String> types = CrashChain.activityTypes();
    int passes = ProofLog.full() ? 3 : 1;
    Map<String, Set<String>> pointsTriedByType = new LinkedHashMap<>();
    List<String> summary = new ArrayList<>();
    for (int pass = 0; pass < passes; pass++) {
      try (E2eEnvironment env =
          new E2eEnvironment(
              Files.createDirectories(dir.resolve("pass-" + pass)), Duration.ofSeconds(2))) {
        OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);

        // The onboarding.
        CrashChain onboarding = new CrashChain(env, "onboard-" + pass, 10);
        // A workflow task timeout of 3 s instead of Temporal's 10 s: a worker killed inside a
        // local activity (preflight's reads) loses its workflow task, which the next worker gets
        // only once that timeout has passed; the runs are the same, the matrix 10 x 7 s shorter.
        OnboardingRequest r =
            dev.onramp.workflows.RequestValidator.validate(request()).withDefaults();
        WorkflowClient.start(
            env.temporal
                    .client()
                    .newWorkflowStub(
                        dev.onramp.workflows.OnboardingWorkflow.class,
                        WorkflowOptions.newBuilder(
                                dev.onramp.workflows.OnboardingWorkflows.options(r, env.taskQueue))
                            .setWorkflowTaskTimeout(Duration.ofSeconds(3))
                            .build())
                ::onboard,
            r);
        String id = dev.onramp.workflows.OnboardingWorkflows.workflowId(r);
        WorkflowExecutionStatus status =
            onboarding.drive(id, CrashChain.pointsFor(types, pass), Duration.ofMinutes(12));
        assertThat(status)
            .as("onboarding after %s", onboarding.kills)
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        OnboardingResult result = client.awaitResult(id, Duration.ofSeconds(10));
        Set<String> ran = onboarding.typesRun(id);
        assertThat(types).as("activity types enumerated from the interfaces").containsAll(ran);
        assertThat(onboarding.kills.stream().map(CrashChain.Kill::activityType))
            .as("every activity type the onboarding ran was killed once")
            .containsExactlyInAnyOrderElementsOf(ran);
        Seed.assertOnboarded(env, result.tables());
        Map<String, Integer> census = ResourceCensus.count(env);
        int duplicated = ResourceCensus.duplicated(census, ResourceCensus.expected());

        // A re-verification of the onboarded target, through its own chain of deaths.
        CrashChain verification = new CrashChain(env, "verify-" + pass, 10);
        String verifyId = "verify/crash-matrix/" + pass;
        WorkflowClient.start(
            env.temporal
                    .client()
                    .newWorkflowStub(
                        VerificationWorkflow.class,
                        WorkflowOptions.newBuilder()
                            .setWorkflowId(verifyId)
                            .setTaskQueue(env.taskQueue)
                            .build())
                ::verify,
            client.requestOf(id));
        WorkflowExecutionStatus verified =
            verification.drive(verifyId, CrashChain.pointsFor(types, pass), Duration.ofMinutes(6));
        assertThat(verified)
            .as("re-verification after %s", verification.kills)
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        VerificationReport report =
            env.temporal
                .client()
                .newUntypedWorkflowStub(verifyId)
                .getResult(VerificationReport.class);
        assertThat(report.findings()).as("drift found after the kills").isEmpty();
        Set<String> verifyRan = verification.typesRun(verifyId);
        assertThat(types).containsAll(verifyRan);
        assertThat(verification.kills.stream().map(CrashChain.Kill::activityType))
            .containsExactlyInAnyOrderElementsOf(verifyRan);
        Map<String, Integer> after = ResourceCensus.count(env);
        assertThat(after).as("resources after the re-verification").isEqualTo(census);

        // Secrets in what the chain leaves: both histories and every worker's log.
        Map<String, String> secrets = SecretScan.secrets(env);
        StringBuilder places = new StringBuilder(onboarding.historyText(id));
        places.append(verification.historyText(verifyId));
        for (Path log : onboarding.workerLogs) {
          places.append(Files.readString(log));
        }
        for (Path log : verification.workerLogs) {
          places.append(Files.readString(log));
        }
        int secretsFound = SecretScan.occurrences(places.toString(), secrets);

        for (CrashChain chain : List.of(onboarding, verification)) {
          String run = chain == onboarding ? "onboarding" : "re-verification";
          for (CrashChain.Kill k : chain.kills) {
            String actual =
                (k.point().equals("during") && !k.midBody()
                        ? "during (body ended first)"
                        : k.point())
                    // A local activity (lean-history's reads) dies with its workflow task: the
                    // next worker replays the run and reads again.
                    + (k.local() ? ", a local activity: read again by the next worker" : "");
            pointsTriedByType
                .computeIfAbsent(run + " " + k.activityType(), x -> new TreeSet<>())
                .add(k.point());
            proof.row(
                "crash",
                run + ": " + k.activityType() + " " + k.point(),
                "completed",
                duplicated,
                secretsFound,
                "pass " + (pass + 1) + ", killed " + actual);
          }
        }
        summary.add(
            String.format(
                "pass %d: onboarding %d kills (%d types), re-verification %d kills (%d types);"
                    + " census %s; duplicated %d; secrets found %d",
                pass + 1,
                onboarding.kills.size(),
                ran.size(),
                verification.kills.size(),
                verifyRan.size(),
                census,
                duplicated,
                secretsFound));
        System.out.println("Crash matrix " + summary.get(summary.size() - 1));
        onboarding.kills.forEach(k -> System.out.println("  onboarding      " + k.line()));
        verification.kills.forEach(k -> System.out.println("  re-verification " + k.line()));

        assertThat(census).as("resources after the kills").isEqualTo(ResourceCensus.expected());
        assertThat(result.reboots()).isEqualTo(1);
        assertThat(duplicated).isZero();
        assertThat(secretsFound).as("secrets in histories and worker logs").isZero();
      }
    }
    Set<String> pointKinds =
        pointsTriedByType.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
    assertThat(pointKinds)
        .as("every kind of kill point tried")
        .containsExactlyInAnyOrder("before", "during", "after");
    if (passes == 3) {
      assertThat(pointsTriedByType.values()).allMatch(p -> p.size() == 3);
    }
    System.out.println("Crash matrix cells tried:");
    pointsTriedByType.forEach((t, p) -> System.out.println("  " + t + " " + p));
  }

  private static OnboardingRequest request() {
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
}
