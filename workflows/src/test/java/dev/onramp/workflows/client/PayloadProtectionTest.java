package dev.onramp.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.workflows.NetworkMode;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the worker's data converter does with a codec key: every payload and every failure message
 * encrypted, plaintext refused on the way in; and enum values read as the CLI reads them.
 */
class PayloadProtectionTest {
  private static final String SECRET = "hunter2-the-admin-password";
  private final AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key());

  private static byte[] key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  @Test
  void failureMessagesAndStackTracesAreEncrypted() {
    DataConverter converter = TemporalConnection.dataConverter(codec);
    Failure failure =
        converter.exceptionToFailure(
            ApplicationFailure.newNonRetryableFailure(
                "password authentication failed: " + SECRET, "UpstreamAuth"));
    assertThat(failure.toString()).doesNotContain(SECRET).doesNotContain("password authentication");
    assertThat(failure.getMessage()).isEqualTo("Encoded failure");
    assertThat(failure.hasEncodedAttributes()).isTrue();

    // The worker (and the CLI, with the key) read the message back.
    RuntimeException back = converter.failureToException(failure);
    assertThat(back).hasMessageContaining(SECRET);
  }

  @Test
  void withoutACodecFailuresStayReadable() {
    Failure failure =
        TemporalConnection.dataConverter(null)
            .exceptionToFailure(ApplicationFailure.newFailure("plain", "T"));
    assertThat(failure.getMessage()).isEqualTo("plain");
  }

  @Test
  void aPlaintextPayloadIsRefusedButTheDisplayViewPassesItThrough() {
    Payload plain =
        DefaultDataConverter.STANDARD_INSTANCE.toPayload("{\"approved\":true}").orElseThrow();
    assertThatThrownBy(() -> codec.decode(List.of(plain)))
        .isInstanceOf(DataConverterException.class)
        .hasMessageContaining("not encrypted")
        .hasMessageContaining("ONRAMP_PAYLOAD_KEY");
    assertThat(codec.forDisplay().decode(List.of(plain))).containsExactly(plain);

    // Through the data converter, a signal argument sent in plaintext does not become a value.
    DataConverter converter = TemporalConnection.dataConverter(codec);
    var payloads = io.temporal.api.common.v1.Payloads.newBuilder().addPayloads(plain).build();
    assertThatThrownBy(
            () -> converter.fromPayloads(0, Optional.of(payloads), String.class, String.class))
        .hasStackTraceContaining("not encrypted");
  }

  @Test
  void encryptedPayloadsRoundTripAndHideTheirContent() {
    DataConverter converter = TemporalConnection.dataConverter(codec);
    Payload sealed = converter.toPayload("secret-ref " + SECRET).orElseThrow();
    assertThat(sealed.toString()).doesNotContain(SECRET);
    assertThat(converter.fromPayload(sealed, String.class, String.class)).contains(SECRET);
    assertThat(codec.forDisplay().decode(List.of(sealed)).get(0).getData().toStringUtf8())
        .contains(SECRET);
  }

  @Test
  void enumsAreReadAsTheCliReadsThemWhateverTheDoor() {
    DataConverter converter = TemporalConnection.dataConverter(null);
    // What a person types into the Web UI's start dialog, or any JSON client.
    Payload typed =
        Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(
                com.google.protobuf.ByteString.copyFromUtf8(
                    "{\"region\":\"us-east-1\",\"dbInstanceId\":\"db-1\",\"database\":\"shop\","
                        + "\"rebootPolicy\":\"immediate\",\"networkMode\":\"egress-ips\"}"))
            .build();
    OnboardingRequest r =
        converter.fromPayload(typed, OnboardingRequest.class, OnboardingRequest.class);
    assertThat(r.rebootPolicy()).isEqualTo(RebootPolicy.IMMEDIATE);
    assertThat(r.networkMode()).isEqualTo(NetworkMode.EGRESS_IPS);

    Payload unknown =
        typed.toBuilder()
            .setData(com.google.protobuf.ByteString.copyFromUtf8("{\"rebootPolicy\":\"soon\"}"))
            .build();
    assertThatThrownBy(
            () -> converter.fromPayload(unknown, OnboardingRequest.class, OnboardingRequest.class))
        .isInstanceOf(DataConverterException.class)
        .hasStackTraceContaining(
            "rebootPolicy: 'soon' is not one of IMMEDIATE, APPROVAL, MAINTENANCE_WINDOW");
  }
}
