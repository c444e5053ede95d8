package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.cli.Onramp;
import dev.onramp.sandbox.aws.iam.IamPolicy;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.OnboardingWorkflows;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole onboarding with the AWS emulator enforcing iam/onramp-policy.json on every call, as AWS
 * would for the worker's role: without one of its actions the run fails at once, non-retryably,
 * naming the action; with the whole policy it completes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IamPolicyE2eTest {
  static final Path POLICY_FILE = Path.of("..", "iam", "onramp-policy.json");
  @TempDir static Path dir;
  static E2eEnvironment env;
  static IamPolicy policy;

  @BeforeAll
  static void start() throws Exception {
    policy = IamPolicy.read(POLICY_FILE);
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.aws.enforceIamPolicy(policy);
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  record Run(int code, String out, Duration took) {}

  private static Run startAndWait() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter stderr = new StringWriter();
    PrintStream original = System.out;
    long t0 = System.nanoTime();
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      var cmd = Onramp.commandLine();
      cmd.setErr(new PrintWriter(stderr));
      code =
          cmd.execute(
              "start",
              "--temporal-address",
              env.temporal.address(),
              "--task-queue",
              env.taskQueue,
              "--region",
              E2eEnvironment.REGION,
              "--instance",
              E2eEnvironment.INSTANCE,
              "--database",
              E2eEnvironment.DATABASE,
              "--tables",
              "orders,\"Line \"\"Items\"\"; x\"",
              "--reboot-policy",
              "IMMEDIATE",
              "--poll-interval",
              "1s",
              "--max-wait",
              "5m",
              "--reverify-every",
              "1h",
              "--wait",
              "--timeout",
              "5m");
    } finally {
      System.setOut(original);
    }
    return new Run(
        code,
        stdout.toString(StandardCharsets.UTF_8) + stderr,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  @Test
  @Order(1)
  void withoutRebootPermissionTheRunFailsAtOnceNamingTheAction() {
    env.aws.enforceIamPolicy(policy.without("rds:RebootDBInstance"));

    Run run = startAndWait();

    assertThat(run.code()).as(run.out()).isNotZero();
    assertThat(run.out()).contains("rds:RebootDBInstance").contains("is not authorized to perform");
    // Non-retryable: no minutes of retries before it gives up.
    assertThat(run.took()).as(run.out()).isLessThan(Duration.ofSeconds(60));
    assertThat(env.instance().status()).isEqualTo("available");

    // The workflow failed with the activity's non-retryable PermissionDenied, not a timeout.
    WorkflowFailedException failed =
        catchThrowableOfType(
            () ->
                env.temporal
                    .client()
                    .newUntypedWorkflowStub(
                        OnboardingWorkflows.workflowId(
                            E2eEnvironment.REGION,
                            E2eEnvironment.INSTANCE,
                            E2eEnvironment.DATABASE))
                    .getResult(Object.class),
            WorkflowFailedException.class);
    ApplicationFailure f = (ApplicationFailure) failed.getCause();
    assertThat(f.getType()).isEqualTo(OnboardingFailures.PERMISSION_DENIED);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage())
        .contains("RebootDBInstance")
        .contains("AccessDenied")
        .contains("is not authorized to perform: rds:RebootDBInstance on resource:")
        .contains("iam/onramp-policy.json");
  }

  @Test
  @Order(2)
  void withTheWholePolicyTheOnboardingCompletes() throws Exception {
    env.aws.enforceIamPolicy(policy);

    Run run = startAndWait();

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out()).contains("DONE");
    Seed.assertOnboarded(env, List.of("orders"));
  }
}
