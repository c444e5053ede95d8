package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Where the Temporal frontend is, which namespace and task queue, and how to authenticate. */
public class TemporalSettings {
  @NotBlank @JsonProperty public String target = "127.0.0.1:7233";
  @NotBlank @JsonProperty public String namespace = "default";
  @NotBlank @JsonProperty public String taskQueue = "onramp";

  /** Temporal Cloud API key; set from the environment, never committed. */
  @JsonProperty public String apiKey;

  /**
   * Base64 of the 32-byte AES key that encrypts every payload ({@code ${ONRAMP_PAYLOAD_KEY}});
   * empty for none. Never committed.
   */
  @JsonProperty public String payloadKey;

  /**
   * mTLS: the client certificate (PEM) and its PKCS#8 private key (PEM), as Temporal Cloud's
   * certificate authentication wants; both or neither. Implies TLS.
   */
  @JsonProperty public String tlsCertFile;

  @JsonProperty public String tlsKeyFile;

  /** TLS to the frontend (implied by an API key). */
  @JsonProperty public boolean tls;

  /** Browser origins of the Web UI allowed to call the codec endpoint. */
  @JsonProperty
  public java.util.List<String> codecCorsOrigins =
      java.util.List.of("http://127.0.0.1:8233", "http://localhost:8233");

  /** Register the search attributes on start (a dev or self-hosted server; Cloud: by admin). */
  @JsonProperty public boolean registerSearchAttributes = true;

  /**
   * On stop (a deploy, SIGTERM): how long running activities may go on before the worker exits.
   * What has not finished by then is retried by the next worker once its attempt times out, so this
   * trades a slower stop for fewer repeated calls.
   */
  @Min(0)
  @JsonProperty
  public long drainTimeoutSeconds = 30;

  /** The client certificate for mTLS, or null; refuses half of one or unreadable files. */
  public dev.onramp.workflows.client.ClientCertificate clientCertificate() {
    boolean cert = tlsCertFile != null && !tlsCertFile.isBlank();
    boolean key = tlsKeyFile != null && !tlsKeyFile.isBlank();
    if (!cert && !key) {
      return null;
    }
    if (cert != key) {
      throw new IllegalArgumentException(
          "temporal.tlsCertFile and temporal.tlsKeyFile go together (mTLS needs the certificate"
              + " and its key): "
              + (cert ? "temporal.tlsKeyFile" : "temporal.tlsCertFile")
              + " is not set");
    }
    return dev.onramp.workflows.client.ClientCertificate.of(
        java.nio.file.Path.of(tlsCertFile), java.nio.file.Path.of(tlsKeyFile));
  }
}
