package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.verification.ReverificationActivitiesImpl;
import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.client.AesGcmPayloadCodec;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a payload key, the re-verification schedule stores its action's input (the onboarding
 * request) encrypted on a real Temporal server, as the worker then expects to read it.
 */
class ScheduleEncryptionE2eTest {
  @TempDir Path dir;

  @Test
  void theSchedulesActionInputIsEncrypted() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try (TemporalDevServer temporal =
        TemporalDevServer.start(
            E2eEnvironment.temporalCli(), Files.createDirectories(dir.resolve("t")), false)) {
      WorkflowClient encrypting =
          WorkflowClient.newInstance(
              temporal.client().getWorkflowServiceStubs(),
              WorkflowClientOptions.newBuilder()
                  .setNamespace(temporal.client().getOptions().getNamespace())
                  .setDataConverter(TemporalConnection.dataConverter(new AesGcmPayloadCodec(key)))
                  .build());
      OnboardingRequest request =
          OnboardingRequest.of("us-east-1", "sched-db", "shop", TableSelection.allTables());
      String id =
          new ReverificationActivitiesImpl(encrypting, "q")
              .ensureSchedule(request, Duration.ofHours(1));

      var described =
          temporal
              .client()
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeSchedule(
                  DescribeScheduleRequest.newBuilder()
                      .setNamespace(temporal.client().getOptions().getNamespace())
                      .setScheduleId(id)
                      .build());
      var input = described.getSchedule().getAction().getStartWorkflow().getInput();
      assertThat(input.getPayloadsList()).isNotEmpty();
      for (Payload p : input.getPayloadsList()) {
        assertThat(p.getMetadataMap().get("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
        assertThat(p.getData().toStringUtf8()).doesNotContain("sched-db");
      }
      assertThat(described.toString()).doesNotContain("onramp/us-east-1/sched-db");
    }
  }
}
