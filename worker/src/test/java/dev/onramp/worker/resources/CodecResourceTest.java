package dev.onramp.worker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.workflows.client.AesGcmPayloadCodec;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Web UI's codec endpoint: encode/decode round trip in proto JSON, CORS for the UI only. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CodecResourceTest {
  private static final String UI = "http://127.0.0.1:8233";
  static final ResourceExtension RESOURCE =
      ResourceExtension.builder()
          .addResource(new CodecResource(new AesGcmPayloadCodec(new byte[32]), List.of(UI)))
          .build();

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  private Response post(String op, String body, String origin) {
    return RESOURCE
        .target("/codec/" + op)
        .request()
        .header("Origin", origin)
        .header("X-Namespace", "default")
        .post(Entity.entity(body, MediaType.APPLICATION_JSON));
  }

  @Test
  void encodeThenDecodeGivesBackThePayload() {
    String plain =
        "{\"payloads\":[{\"metadata\":{\"encoding\":\""
            + b64("json/plain")
            + "\"},\"data\":\""
            + b64("{\"db\":\"shop\"}")
            + "\"}]}";
    Response enc = post("encode", plain, UI);
    String sealed = enc.readEntity(String.class);
    assertThat(enc.getStatus()).isEqualTo(200);
    assertThat(sealed).contains(b64("binary/encrypted")).doesNotContain(b64("{\"db\":\"shop\"}"));
    assertThat(enc.getHeaderString("Access-Control-Allow-Origin")).isEqualTo(UI);

    String decoded = post("decode", sealed, UI).readEntity(String.class);
    assertThat(decoded).contains(b64("{\"db\":\"shop\"}"));
  }

  @Test
  void otherOriginsGetNoCorsHeadersAndGarbageIsA400() {
    Response r = post("decode", "{\"payloads\":[]}", "http://evil.example");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getHeaderString("Access-Control-Allow-Origin")).isNull();
    assertThat(post("decode", "not json", UI).getStatus()).isEqualTo(400);
  }
}
