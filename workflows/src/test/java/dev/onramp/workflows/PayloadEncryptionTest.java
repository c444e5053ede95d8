package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.onramp.workflows.client.AesGcmPayloadCodec;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With a payload key, Temporal (and its history) hold ciphertext only. */
class PayloadEncryptionTest {
  private static byte[] key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private static Payload json(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(text))
        .build();
  }

  @Test
  void roundTripsAndHidesThePlaintext() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key());
    Payload plain = json("{\"secretRef\":\"onramp/us-east-1/db-1\"}");

    Payload sealed = codec.encode(List.of(plain)).get(0);

    assertThat(sealed.getData().toString(StandardCharsets.UTF_8)).doesNotContain("onramp/");
    assertThat(codec.decode(List.of(sealed))).containsExactly(plain);
  }

  @Test
  void tamperingAndAWrongKeyFailInsteadOfDecodingWrongly() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key());
    Payload sealed = codec.encode(List.of(json("{\"a\":1}"))).get(0);
    byte[] data = sealed.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload tampered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec.decode(List.of(tampered))).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> new AesGcmPayloadCodec(key()).decode(List.of(sealed)))
        .hasMessageContaining("set ONRAMP_PAYLOAD_KEY to the key it was written with");
    assertThatThrownBy(() -> new AesGcmPayloadCodec(new byte[16])).hasMessageContaining("32 bytes");
  }

  @Test
  void unencryptedPayloadsAreRefusedOnDecodeExceptForDisplay() {
    Payload plain = json("{}");
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key());
    assertThatThrownBy(() -> codec.decode(List.of(plain))).hasMessageContaining("not encrypted");
    assertThat(codec.forDisplay().decode(List.of(plain))).containsExactly(plain);
  }

  @Test
  void aWholeOnboardingLeavesNoPlaintextInHistory() {
    // The worker's converter: strict decode, failure attributes encoded.
    DataConverter converter = TemporalConnection.dataConverter(new AesGcmPayloadCodec(key()));
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
                .build());
    try {
      for (String name : OnboardingWorkflows.SEARCH_ATTRIBUTE_NAMES) {
        env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
      Worker worker = env.newWorker("enc");
      worker.registerWorkflowImplementationTypes(OnboardingWorkflowImpl.class);
      worker.registerActivitiesImplementations(new FakeWorld(env).activities());
      env.start();
      OnboardingRequest request = WorkflowTestSupport.request(RebootPolicy.IMMEDIATE);
      WorkflowClient client = env.getWorkflowClient();
      OnboardingWorkflow wf =
          client.newWorkflowStub(
              OnboardingWorkflow.class, OnboardingWorkflows.options(request, "enc"));
      WorkflowClient.start(wf::onboard, request);
      OnboardingResult result = WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class);

      assertThat(result.publication()).isEqualTo("mz_source"); // decoded fine for the client
      String history =
          PayloadText.decoded(
              client.fetchHistory(OnboardingWorkflows.workflowId(request)).toJson(false));
      // The search attributes stay readable (the Web UI lists by them); nothing else does.
      assertThat(history).contains("\"db-1\""); // the DbInstance keyword, decoded
      assertThat(history)
          .doesNotContain("onramp/us-east-1/db-1/materialize")
          .doesNotContain("mz_source");
    } finally {
      env.close();
    }
  }
}
