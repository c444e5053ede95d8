package dev.onramp.workflows.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.List;

/** Opens a Temporal client the same way for the worker, the CLI and the demo. */
public final class TemporalConnection implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client) {
    this.service = service;
    this.client = client;
  }

  /**
   * @param apiKey a Temporal Cloud API key, or null
   * @param metrics where the SDK reports its metrics, or null
   */
  public static TemporalConnection open(
      String target, String namespace, String apiKey, boolean tls, Scope metrics) {
    // With ONRAMP_PAYLOAD_KEY set, every payload is encrypted before it leaves this process;
    // the worker, the CLI and the Web UI (through the worker's codec endpoint) share the key.
    return open(target, namespace, apiKey, tls, metrics, AesGcmPayloadCodec.fromEnvironment());
  }

  /**
   * @param codec encrypts every payload, or null for none
   */
  public static TemporalConnection open(
      String target,
      String namespace,
      String apiKey,
      boolean tls,
      Scope metrics,
      AesGcmPayloadCodec codec) {
    return open(target, namespace, apiKey, tls, metrics, codec, null);
  }

  /**
   * @param clientCertificate mTLS to the frontend (Temporal Cloud certificates), or null
   */
  public static TemporalConnection open(
      String target,
      String namespace,
      String apiKey,
      boolean tls,
      Scope metrics,
      AesGcmPayloadCodec codec,
      ClientCertificate clientCertificate) {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(target)
            .setRpcTimeout(Duration.ofSeconds(10));
    if (clientCertificate != null) {
      options.setSslContext(clientCertificate.sslContext());
    }
    if (apiKey != null && !apiKey.isBlank()) {
      options.addApiKey(() -> apiKey).setEnableHttps(true);
    } else if (tls && clientCertificate == null) {
      options.setEnableHttps(true);
    }
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
    WorkflowClientOptions.Builder clientOptions =
        WorkflowClientOptions.newBuilder().setNamespace(namespace);
    clientOptions.setDataConverter(dataConverter(codec));
    WorkflowClient client = WorkflowClient.newInstance(service, clientOptions.build());
    return new TemporalConnection(service, client);
  }

  /**
   * Temporal's JSON converter with enums read as the CLI reads them ({@link RequestJson}); with a
   * codec, every payload is encrypted, and failure messages and stack traces too ({@code
   * encodeFailureAttributes}: Temporal then moves them into an encoded payload and leaves "Encoded
   * failure" in their place).
   *
   * @param codec the payload codec, or null for none
   */
  public static DataConverter dataConverter(AesGcmPayloadCodec codec) {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    mapper.registerModule(RequestJson.enumsAsFlags());
    DataConverter json =
        DefaultDataConverter.newDefaultInstance()
            .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(mapper));
    return codec == null ? json : new CodecDataConverter(json, List.of(codec), true);
  }

  /** Wraps an existing client (the in-process test server); closing it is the owner's job. */
  public static TemporalConnection of(WorkflowClient client) {
    return new TemporalConnection(null, client);
  }

  public WorkflowClient client() {
    return client;
  }

  /** Throws when the frontend does not answer within {@code timeout}. */
  public void check(Duration timeout) {
    client
        .getWorkflowServiceStubs()
        .blockingStub()
        .withDeadlineAfter(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .getSystemInfo(
            io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance());
  }

  @Override
  public void close() {
    if (service != null) {
      service.shutdown();
      service.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
