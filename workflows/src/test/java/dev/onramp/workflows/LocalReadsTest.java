package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.materialize.MaterializeActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read ({@code lean-history}, {@link ReadCalls}) gets one local attempt; a transient failure
 * hands the call to the ordinary activity, which retries it until its bound and is then named by
 * {@link FailureExplainer} with the call and its last error, as before local reads; a permanent
 * failure is the read's at once.
 */
class LocalReadsTest {
  /**
   * Calls one read with {@link ReadCalls#options} of a short bound; returns the explained failure.
   */
  @WorkflowInterface
  public interface ReadProbe {
    @WorkflowMethod
    String read(long boundMillis);
  }

  public static class ReadProbeImpl implements ReadProbe {
    @Override
    public String read(long boundMillis) {
      MaterializeActivities ordinary =
          Workflow.newActivityStub(
              MaterializeActivities.class,
              OnboardingActivities.call(Duration.ofMillis(boundMillis)));
      MaterializeActivities mz =
          ReadCalls.localFirst(MaterializeActivities.class, ordinary, "db-1", "shop");
      try {
        mz.checkPlan(null);
        return "completed";
      } catch (ActivityFailure e) {
        ApplicationFailure f = FailureExplainer.explain(e, "Preflight", Duration.ofHours(3));
        return f.getType() + "|" + f.getOriginalMessage();
      }
    }
  }

  private TestWorkflowEnvironment env;
  private FakeWorld world;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("reads");
    worker.registerWorkflowImplementationTypes(ReadProbeImpl.class);
    world = new FakeWorld(env);
    worker.registerActivitiesImplementations(world.activities());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private String probe(long boundMillis) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            ReadProbe.class,
            io.temporal.client.WorkflowOptions.newBuilder().setTaskQueue("reads").build())
        .read(boundMillis);
  }

  @Test
  void aTransientErrorIsRetriedUntilTheBoundThenNamedWithTheCallAndTheLastError() {
    world.failures.put(
        "materialize.checkPlan",
        ApplicationFailure.newFailure(
            "cannot reach Materialize: connection refused", OnboardingFailures.NOT_REACHABLE));

    String explained = probe(600_000);

    assertThat(explained)
        .startsWith(
            OnboardingFailures.NOT_REACHABLE + "|Preflight: gave up after retrying CheckPlan")
        .contains("last error: cannot reach Materialize: connection refused");
    assertThat(world.calls).containsOnly("materialize.checkPlan").hasSizeGreaterThan(1);
  }

  @Test
  void aPermanentErrorIsNotRetried() {
    world.failures.put(
        "materialize.checkPlan",
        OnboardingFailures.nonRetryable(
            OnboardingFailures.FOREIGN_OBJECT, "cluster mz_onramp was not created by onramp"));

    String explained = probe(600_000);

    assertThat(explained)
        .isEqualTo(
            OnboardingFailures.FOREIGN_OBJECT
                + "|Preflight: cluster mz_onramp was not created by onramp");
    assertThat(world.calls).containsExactly("materialize.checkPlan");
  }
}
