package dev.onramp.sandbox.aws.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.faults.FaultInjector;
import dev.onramp.sandbox.aws.iam.AccessDeniedException;
import dev.onramp.sandbox.aws.iam.AccessRequest;
import dev.onramp.sandbox.aws.iam.PolicyEnforcer;
import dev.onramp.sandbox.aws.iam.ResourceArns;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP endpoint for the three services, told apart as the AWS SDK addresses them: Secrets
 * Manager by {@code X-Amz-Target: secretsmanager.<Op>}, EC2 by {@code Version=2016-11-15}, RDS by
 * {@code Version=2014-10-31}. {@code /_sandbox/...} is the emulator's own admin API (faults,
 * instance list).
 */
public final class AwsHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AwsHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final RdsQueryHandler rds;
  private final Ec2QueryHandler ec2;
  private final SecretsManagerHandler secrets;
  private final FaultInjector faults;
  private final Supplier<Object> instancesInfo;
  private final PolicyEnforcer iam;
  private final ResourceArns arns;
  private final ApiCallLog callLog = new ApiCallLog();

  public AwsHttpServer(
      int port,
      RdsQueryHandler rds,
      Ec2QueryHandler ec2,
      SecretsManagerHandler secrets,
      FaultInjector faults,
      Supplier<Object> instancesInfo)
      throws IOException {
    this(port, rds, ec2, secrets, faults, instancesInfo, null, null);
  }

  /**
   * With {@code iam} set, every call is first checked against that identity's policy and refused
   * with the service's access-denied error when the policy does not allow it.
   */
  public AwsHttpServer(
      int port,
      RdsQueryHandler rds,
      Ec2QueryHandler ec2,
      SecretsManagerHandler secrets,
      FaultInjector faults,
      Supplier<Object> instancesInfo,
      PolicyEnforcer iam,
      ResourceArns arns)
      throws IOException {
    this.iam = iam;
    this.arns = arns;
    this.rds = rds;
    this.ec2 = ec2;
    this.secrets = secrets;
    this.faults = faults;
    this.instancesInfo = instancesInfo;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "aws-emulator-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.createContext("/_sandbox/", this::admin);
  }

  public void start() {
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Reply(int status, String contentType, String body) {}

  private void handle(HttpExchange ex) throws IOException {
    String requestId = UUID.randomUUID().toString();
    Reply reply;
    try {
      String body = readBody(ex.getRequestBody());
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      if (target != null) {
        reply = secretsManager(target, body, requestId);
      } else {
        reply = query(QueryParams.parse(ex.getRequestURI().getRawQuery(), body), requestId);
      }
    } catch (AwsException e) {
      reply = new Reply(e.httpStatus(), "text/xml", RdsQueryHandler.error(e, requestId));
    } catch (RuntimeException e) {
      LOG.error("unexpected failure", e);
      AwsException internal =
          new AwsException(
              "InternalFailure",
              500,
              "The request processing has failed because of an unknown error, exception or failure.");
      reply = new Reply(500, "text/xml", RdsQueryHandler.error(internal, requestId));
    }
    send(ex, reply, requestId);
  }

  /** Every call answered, for benchmarks: {@link ApiCallLog}. */
  public ApiCallLog callLog() {
    return callLog;
  }

  private Reply query(QueryParams q, String requestId) {
    Reply reply = answer(q, requestId);
    callLog.record(
        q.getOrNull("Action"),
        q.getOrNull("DBInstanceIdentifier") != null
            ? q.getOrNull("DBInstanceIdentifier")
            : q.getOrNull("SourceIdentifier"),
        reply.status(),
        reply.status() != 200
            && (reply.body().contains("<Code>Throttling</Code>")
                || reply.body().contains("<Code>RequestLimitExceeded</Code>")));
    return reply;
  }

  private Reply answer(QueryParams q, String requestId) {
    String action = q.getOrNull("Action");
    String version = q.getOrNull("Version");
    boolean isEc2 =
        Ec2QueryHandler.VERSION.equals(version)
            || (version == null && action != null && ec2.knows(action));
    try {
      if (action == null || action.isEmpty()) {
        throw AwsException.badRequest(
            "MissingAction", "The request must contain the parameter Action");
      }
      if (version != null
          && !version.equals(RdsQueryHandler.VERSION)
          && !version.equals(Ec2QueryHandler.VERSION)) {
        throw AwsException.badRequest(
            "NoSuchVersion",
            "The requested version (" + version + ") of service is not supported.");
      }
      if (isEc2) {
        if (!ec2.knows(action)) {
          throw AwsException.badRequest(
              "InvalidAction", "The action " + action + " is not valid for this web service.");
        }
        authorize(() -> List.of(arns.ec2(action, q)), Ec2QueryHandler::accessDenied);
        injectFaults(
            action, new AwsException("RequestLimitExceeded", 503, "Request limit exceeded."));
        return new Reply(200, "text/xml;charset=UTF-8", ec2.handle(action, q, requestId));
      }
      if (!rds.knows(action)) {
        throw AwsException.badRequest(
            "InvalidAction", "The action " + action + " is not valid for this web service.");
      }
      authorize(() -> arns.rdsCall(action, q), RdsQueryHandler::accessDenied);
      // RDS throttling: Throttling / "Rate exceeded" / HTTP 400 (shared/reference/aws-rds.md).
      injectFaults(action, new AwsException("Throttling", 400, "Rate exceeded"));
      return new Reply(
          200, "text/xml", RdsQueryHandler.envelope(action, rds.handle(action, q), requestId));
    } catch (AwsException e) {
      String doc =
          isEc2 ? Ec2QueryHandler.error(e, requestId) : RdsQueryHandler.error(e, requestId);
      return new Reply(e.httpStatus(), "text/xml", doc);
    }
  }

  private Reply secretsManager(String target, String body, String requestId) {
    String json = "application/x-amz-json-1.1";
    try {
      if (!target.startsWith(SecretsManagerHandler.TARGET_PREFIX)) {
        throw AwsException.badRequest("UnknownOperationException", "Unknown operation " + target);
      }
      String op = target.substring(SecretsManagerHandler.TARGET_PREFIX.length());
      if (!secrets.knows(op)) {
        throw AwsException.badRequest("UnknownOperationException", "Unknown operation " + target);
      }
      authorize(
          () -> arns.secretsManagerCall(op, SecretsManagerHandler.parseOrNull(body)),
          SecretsManagerHandler::accessDenied);
      injectFaults(op, new AwsException("ThrottlingException", 400, "Rate exceeded"));
      return new Reply(200, json, secrets.handle(op, body));
    } catch (AwsException e) {
      return new Reply(e.httpStatus(), json, SecretsManagerHandler.error(e));
    }
  }

  private void authorize(
      Supplier<List<AccessRequest>> requests,
      Function<AccessDeniedException, AwsException> envelope) {
    if (iam == null || iam.policy() == null) {
      return;
    }
    try {
      requests.get().forEach(iam::check);
    } catch (AccessDeniedException denied) {
      LOG.info("IAM: {}", denied.getMessage());
      throw envelope.apply(denied);
    }
  }

  private void injectFaults(String operation, AwsException throttling) {
    long latency = faults.latencyFor(operation);
    if (latency > 0) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    faults
        .errorFor(operation, throttling)
        .ifPresent(
            e -> {
              throw e;
            });
  }

  /**
   * The admin API: {@code GET/POST/DELETE /_sandbox/faults} (a fault or a JSON array of them),
   * {@code GET /_sandbox/instances}.
   */
  private void admin(HttpExchange ex) throws IOException {
    String requestId = UUID.randomUUID().toString();
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    Reply reply;
    try {
      if (path.equals("/_sandbox/faults")) {
        switch (method) {
          case "GET" ->
              reply = new Reply(200, "application/json", JSON.writeValueAsString(faults.list()));
          case "DELETE" -> {
            faults.clear();
            reply = new Reply(200, "application/json", "[]");
          }
          case "POST" -> {
            JsonNode n = JSON.readTree(readBody(ex.getRequestBody()));
            if (n.isArray()) {
              for (JsonNode f : n) {
                faults.add(JSON.treeToValue(f, Fault.class));
              }
            } else {
              faults.add(JSON.treeToValue(n, Fault.class));
            }
            reply = new Reply(200, "application/json", JSON.writeValueAsString(faults.list()));
          }
          default ->
              reply = new Reply(405, "application/json", "{\"message\":\"method not allowed\"}");
        }
      } else if (path.equals("/_sandbox/instances") && method.equals("GET")) {
        reply = new Reply(200, "application/json", JSON.writeValueAsString(instancesInfo.get()));
      } else {
        reply = new Reply(404, "application/json", "{\"message\":\"not found\"}");
      }
    } catch (IOException | IllegalArgumentException e) {
      reply =
          new Reply(
              400,
              "application/json",
              JSON.createObjectNode().put("message", String.valueOf(e.getMessage())).toString());
    }
    send(ex, reply, requestId);
  }

  private static String readBody(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, Reply reply, String requestId) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
    ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }
}
