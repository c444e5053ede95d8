package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.sandbox.aws.iam.IamPolicy;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.OnboardingWorkflows;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
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

  private static CliRun startAndWait() {
    return CliRun.of(
        env.startImmediate(E2eEnvironment.DATABASE, "orders,\"Line \"\"Items\"\"; x\""));
  }

  @Test
  @Order(1)
  void withoutRebootPermissionTheRunFailsAtOnceNamingTheAction() {
    env.aws.enforceIamPolicy(policy.without("rds:RebootDBInstance"));

    CliRun run = startAndWait();

    assertThat(run.code()).as(run.printed()).isNotZero();
    assertThat(run.printed())
        .contains("rds:RebootDBInstance")
        .contains("is not authorized to perform");
    // Non-retryable: no minutes of retries before it gives up.
    assertThat(run.took()).as(run.printed()).isLessThan(Duration.ofSeconds(60));
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

    CliRun run = startAndWait();

    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.printed()).contains("DONE");
    Seed.assertOnboarded(env, List.of("orders"));
  }
}
