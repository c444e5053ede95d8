package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ordinary calls retry transient failures until a time bound, not for a number of attempts; a
 * failure after the bound names the step, the call, the bound and the last error with its fix.
 * Egress CIDRs are checked in preflight, before anything changes.
 */
class RetryBoundsWorkflowTest extends WorkflowTestSupport {

  private ApplicationFailure failureOf(OnboardingWorkflow wf) {
    try {
      result(wf);
    } catch (WorkflowFailedException e) {
      assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
      return (ApplicationFailure) e.getCause();
    }
    throw new AssertionError("workflow did not fail");
  }

  @Test
  void aTransientErrorIsRetriedForMinutesThenNamesStepCallBoundAndLastError() {
    world.failures.put(
        "network.convergeIngress",
        ApplicationFailure.newFailure(
            "AuthorizeSecurityGroupIngress sg-1 failed: RequestLimitExceeded: Request limit"
                + " exceeded.; retried with back-off",
            OnboardingFailures.AWS));
    long t0 = env.currentTimeMillis();

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    long attempts = world.calls.stream().filter("network.convergeIngress"::equals).count();
    assertThat(attempts).as("retried by time, not 8 attempts").isGreaterThan(8);
    assertThat(env.currentTimeMillis() - t0)
        .isGreaterThanOrEqualTo(OnboardingActivities.AWS_CALL_BOUND.toMillis());
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isEqualTo(OnboardingFailures.AWS);
    assertThat(f.getOriginalMessage())
        .startsWith(OnboardingStep.NETWORK.title() + ": gave up after retrying ConvergeIngress for")
        .contains(HumanDurations.format(OnboardingActivities.AWS_CALL_BOUND))
        .contains("last error: AuthorizeSecurityGroupIngress sg-1 failed: RequestLimitExceeded");
  }

  @Test
  void aTransientErrorThatClearsWithinTheBoundCompletes() {
    world.failures.put(
        "materialize.convergeCluster",
        ApplicationFailure.newFailure(
            "cannot reach Materialize", OnboardingFailures.NOT_REACHABLE));
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    awaitWaitingOrLater(wf);
    // Materialize is back after ten minutes of restarts.
    env.sleep(Duration.ofMinutes(10));
    world.failures.clear();

    assertThat(result(wf).dbInstanceId()).isEqualTo("db-1");
    assertThat(world.calls.stream().filter("materialize.convergeCluster"::equals).count())
        .isGreaterThan(8);
  }

  private void awaitWaitingOrLater(OnboardingWorkflow wf) {
    for (int i = 0; i < 200 && !world.calls.contains("materialize.convergeCluster"); i++) {
      env.sleep(Duration.ofSeconds(30));
    }
    assertThat(world.calls).contains("materialize.convergeCluster");
  }

  @Test
  void theInternetAsAnEgressCidrStopsThePreflightBeforeAnythingChanges() {
    world.egressCidrs = List.of("203.0.113.10/32", "0.0.0.0/0");

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getType()).isEqualTo(OnboardingFailures.SECURITY_GROUP);
    assertThat(f.getOriginalMessage()).contains("0.0.0.0/0").contains("whole internet");
    assertThat(world.calls)
        .noneMatch(c -> c.startsWith("rds.convergeParameterGroup") || c.startsWith("rds.reboot"))
        .doesNotContain("network.convergeIngress");
    assertThat(world.reboots).isEmpty();
  }

  @Test
  void aRangeBroaderThanTheWorkersLimitStopsThePreflightToo() {
    world.egressCidrs = List.of("10.0.0.0/16");

    ApplicationFailure f = failureOf(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(f.getOriginalMessage()).startsWith("Preflight").contains("broader than /24");
    assertThat(world.calls).contains("network.checkEgressCidrs");
    assertThat(world.calls)
        .noneMatch(c -> c.startsWith("rds.convergeParameterGroup") || c.startsWith("rds.reboot"));
  }
}
