package dev.onramp.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a codec key, a signal sent in plaintext (the Web UI without the codec endpoint, or any
 * client without the key) is dropped by the worker and a plaintext update is rejected, and the run
 * goes on to take the next, encrypted, ones: refused without leaving the run stuck on a failing
 * workflow task.
 */
class PlaintextSignalTest {
  @WorkflowInterface
  public interface Waiter {
    @WorkflowMethod
    String await();

    @SignalMethod
    void decide(String by);

    @io.temporal.workflow.UpdateMethod
    String note(String text);
  }

  public static class WaiterImpl implements Waiter {
    private String by;

    @Override
    public String await() {
      Workflow.await(() -> by != null);
      return by;
    }

    @Override
    public void decide(String by) {
      this.by = by;
    }

    @Override
    public String note(String text) {
      return "noted " + text;
    }
  }

  private final TestWorkflowEnvironment env;

  PlaintextSignalTest() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(
                            TemporalConnection.dataConverter(new AesGcmPayloadCodec(key)))
                        .build())
                .build());
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(WaiterImpl.class);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aPlaintextSignalIsDroppedAndTheRunTakesTheNextEncryptedOne() throws Exception {
    Waiter encrypted =
        env.getWorkflowClient()
            .newWorkflowStub(
                Waiter.class,
                WorkflowOptions.newBuilder().setWorkflowId("w").setTaskQueue("q").build());
    WorkflowClient.start(encrypted::await);

    WorkflowClient plain =
        WorkflowClient.newInstance(
            env.getWorkflowServiceStubs(),
            WorkflowClientOptions.newBuilder()
                .setNamespace(env.getNamespace())
                .setDataConverter(TemporalConnection.dataConverter(null))
                .build());
    plain.newUntypedWorkflowStub("w").signal("decide", "mallory");
    env.sleep(Duration.ofSeconds(5));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> plain.newUntypedWorkflowStub("w").update("note", String.class, "plaintext"))
        .isInstanceOf(io.temporal.client.WorkflowUpdateException.class);
    assertThat(encrypted.note("sealed")).isEqualTo("noted sealed");

    encrypted.decide("alice");
    String result =
        WorkflowStub.fromTyped(encrypted)
            .getResult(10, java.util.concurrent.TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("alice");
  }
}
