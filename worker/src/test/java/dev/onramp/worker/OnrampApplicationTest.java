package dev.onramp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole worker application on random ports against a Temporal server on a real port, with two
 * API tokens, a payload key (every payload encrypted, the codec endpoint served) and both REST
 * policies on (IMMEDIATE forbidden, the requester may not approve). AWS and Materialize point at a
 * closed loopback port: nothing here reaches outside this machine.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OnrampApplicationTest {
  static final String ALICE = "alice-token-0123456789abcdefghijklmnop";
  static final String BOB = "bob-token-0123456789abcdefghijklmnopqrs";
  static final String PAYLOAD_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);
  private static final int TEMPORAL_PORT = WorkerUnderTest.freePort();
  private static final TestServer.PortBoundTestServer TEMPORAL =
      TestServer.createPortBoundServer(TEMPORAL_PORT, false);

  static final DropwizardAppExtension<OnrampConfiguration> APP =
      WorkerUnderTest.app(
          TEMPORAL_PORT,
          "worker-test",
          ConfigOverride.config("auth.tokens", "alice:" + ALICE + ",bob:" + BOB),
          ConfigOverride.config("temporal.payloadKey", PAYLOAD_KEY),
          ConfigOverride.config("policy.allowedRebootPolicies[0]", "APPROVAL"),
          ConfigOverride.config("policy.allowedRebootPolicies[1]", "MAINTENANCE_WINDOW"),
          ConfigOverride.config("policy.requesterMayApproveReboot", "false"));

  @AfterAll
  static void stopTemporal() {
    TEMPORAL.close();
  }

  private Invocation.Builder api(String path, String token) {
    Invocation.Builder b =
        APP.client().target("http://localhost:" + APP.getLocalPort() + path).request();
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  /** The status, with the connection given back to the client's pool. */
  private static int status(Response r) {
    try (r) {
      return r.getStatus();
    }
  }

  private static Map<String, Object> request(String instance, String rebootPolicy) {
    return rebootPolicy == null
        ? Map.of("region", "us-east-1", "dbInstanceId", instance, "database", "shop")
        : Map.of(
            "region",
            "us-east-1",
            "dbInstanceId",
            instance,
            "database",
            "shop",
            "rebootPolicy",
            rebootPolicy);
  }

  @Test
  void everyResourceAndTheCodecAnswer401WithoutAValidToken() {
    Entity<String> json = Entity.json("{}");
    String target = "/onboardings/us-east-1/db-x/shop";
    for (String token : new String[] {null, "wrong-token-0123456789abcdefghijklmnop", ""}) {
      List<java.util.function.Supplier<Response>> calls =
          List.of(
              () -> api("/onboardings", token).post(Entity.json(request("db-x", null))),
              () -> api("/onboardings/plan", token).post(Entity.json(request("db-x", null))),
              () -> api("/onboardings", token).get(),
              () -> api(target, token).get(),
              () -> api(target, token).delete(),
              () -> api(target + "/approve", token).post(json),
              () -> api(target + "/reject", token).post(json),
              () -> api(target + "/tables", token).post(json),
              () -> api(target + "/tables", token).get(),
              () -> api("/offboardings", token).post(json),
              () -> api("/offboardings/us-east-1/db-x/shop", token).get(),
              () -> api("/fleets", token).post(json),
              () -> api("/fleets/f1", token).get(),
              () -> api("/fleets/f1/pause", token).post(json),
              () -> api("/fleets/f1/resume", token).post(json),
              () -> api("/codec/decode", token).post(Entity.json("{\"payloads\":[]}")),
              () -> api("/codec/encode", token).post(Entity.json("{\"payloads\":[]}")),
              () -> api("/no-such-resource", token).get());
      for (var call : calls) {
        Response r = call.get();
        assertThat(r.getStatus()).as("token %s", token).isEqualTo(401);
        assertThat(r.getHeaderString("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.readEntity(String.class)).doesNotContain(ALICE).doesNotContain(BOB);
      }
    }
    Response basic =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + "/onboardings")
            .request()
            .header("Authorization", "Basic " + ALICE)
            .get();
    assertThat(status(basic)).isEqualTo(401);
    // With a token the same call passes authentication (and finds no such onboarding).
    assertThat(status(api("/onboardings/us-east-1/db-x/shop", ALICE).get())).isEqualTo(404);
  }

  @Test
  void theCodecEndpointServesTokenHoldersAndTheUiPreflightWithoutOne() {
    String b64 = java.util.Base64.getEncoder().encodeToString("{\"db\":\"shop\"}".getBytes());
    String plain =
        "{\"payloads\":[{\"metadata\":{\"encoding\":\""
            + java.util.Base64.getEncoder().encodeToString("json/plain".getBytes())
            + "\"},\"data\":\""
            + b64
            + "\"}]}";
    Response encoded = api("/codec/encode", ALICE).post(Entity.json(plain));
    String sealed = encoded.readEntity(String.class);
    assertThat(encoded.getStatus()).isEqualTo(200);
    assertThat(sealed).doesNotContain(b64);
    Response decoded = api("/codec/decode", BOB).post(Entity.json(sealed));
    assertThat(decoded.readEntity(String.class)).contains(b64);
    // The UI shows plaintext payloads (search attributes) through the same call: passed through.
    assertThat(api("/codec/decode", BOB).post(Entity.json(plain)).readEntity(String.class))
        .contains(b64);

    // Browsers send the CORS preflight without credentials; it carries no data.
    Response preflight =
        api("/codec/decode", null)
            .header("Origin", "http://127.0.0.1:8233")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,content-type")
            .options();
    assertThat(preflight.getStatus()).isEqualTo(204);
    assertThat(preflight.getHeaderString("Access-Control-Allow-Origin"))
        .isEqualTo("http://127.0.0.1:8233");
    assertThat(preflight.getHeaderString("Access-Control-Allow-Headers")).contains("Authorization");
    preflight.close();
    assertThat(status(api("/onboardings", null).options())).isEqualTo(401);
  }

  @Test
  void badRequestIsRefusedWithEveryProblemNamed() {
    Response r =
        api("/onboardings", ALICE)
            .post(
                Entity.json(
                    Map.of(
                        "region", "us-east-1",
                        "dbInstanceId", "db--1",
                        "database", "shop",
                        "tables", Map.of("mode", "TABLES", "names", new String[] {"a;b"}))));
    assertThat(r.getStatus()).isEqualTo(400);
    String body = r.readEntity(String.class);
    assertThat(body).contains("dbInstanceId: 'db--1'").contains("tables.names[0]");
  }

  /** {@code POST /onboardings/plan} refuses what {@code POST /onboardings} refuses, alike. */
  @Test
  void planRefusesBadInputAsStartDoes() {
    List<Object> bodies =
        List.of(
            Map.of(
                "region", "us-east-1",
                "dbInstanceId", "db--1",
                "database", "shop",
                "tables", Map.of("mode", "TABLES", "names", new String[] {"a;b"})),
            request("db-plan", "IMMEDIATE"),
            request("db-plan", "soon"),
            Map.of("region", "us-east-1", "dbInstanceId", "db-plan", "databse", "shop"));
    for (Object body : bodies) {
      Response start = api("/onboardings", ALICE).post(Entity.json(body));
      Response plan = api("/onboardings/plan", ALICE).post(Entity.json(body));
      assertThat(plan.getStatus()).as("%s", body).isEqualTo(400).isEqualTo(start.getStatus());
      assertThat(plan.readEntity(String.class))
          .as("%s", body)
          .isEqualTo(start.readEntity(String.class));
    }
  }

  @Test
  void unknownFieldsAndUnknownEnumValuesAre400NamingTheField() {
    Response unknown =
        api("/onboardings", ALICE)
            .post(
                Entity.json(
                    Map.of(
                        "region", "us-east-1",
                        "dbInstanceId", "db-u",
                        "database", "shop",
                        "materialize", Map.of("clusterr", "x"))));
    assertThat(unknown.getStatus()).isEqualTo(400);
    assertThat(unknown.readEntity(String.class))
        .contains("materialize.clusterr: unknown field")
        .contains("cluster");

    Response badEnum = api("/onboardings", ALICE).post(Entity.json(request("db-u", "soon")));
    assertThat(badEnum.getStatus()).isEqualTo(400);
    assertThat(badEnum.readEntity(String.class))
        .contains("rebootPolicy: 'soon' is not one of IMMEDIATE, APPROVAL, MAINTENANCE_WINDOW");

    Response decisionField =
        api("/onboardings/us-east-1/db-u/shop/approve", ALICE)
            .post(Entity.json(Map.of("approvedBy", "mallory")));
    assertThat(decisionField.getStatus()).isEqualTo(400);
    assertThat(decisionField.readEntity(String.class)).contains("approvedBy: unknown field");
  }

  @Test
  void forbiddenRebootPolicyIs400NamingThePolicyHoweverItIsSpelled() {
    for (String spelling : new String[] {"IMMEDIATE", "immediate", " Immediate "}) {
      Response r = api("/onboardings", ALICE).post(Entity.json(request("db-imm", spelling)));
      assertThat(r.getStatus()).as(spelling).isEqualTo(400);
      assertThat(r.readEntity(String.class))
          .contains("rebootPolicy: IMMEDIATE is not allowed by this worker")
          .contains("policy.allowedRebootPolicies");
    }
    // The same reading as the CLI's --reboot-policy: case and '-' for '_' do not matter.
    Response window =
        api("/onboardings", ALICE).post(Entity.json(request("db-mw", "maintenance-window")));
    assertThat(status(window)).isEqualTo(201);
    assertThat(status(api("/onboardings/us-east-1/db-mw/shop", ALICE).delete())).isEqualTo(200);
  }

  @Test
  void stateChangingCallsTakeJsonOnly() {
    String approve = "/onboardings/us-east-1/db-json/shop/approve";
    Response bodyless = api(approve, BOB).post(null);
    assertThat(bodyless.getStatus()).isEqualTo(415);
    assertThat(bodyless.readEntity(String.class)).contains("Content-Type: application/json");
    assertThat(status(api(approve, BOB).post(Entity.text("{}")))).isEqualTo(415);
    assertThat(status(api(approve, BOB).post(Entity.form(new jakarta.ws.rs.core.Form()))))
        .isEqualTo(415);
    assertThat(
            status(
                api("/onboardings", BOB)
                    .post(
                        Entity.entity(
                            "{\"region\":\"us-east-1\",\"dbInstanceId\":\"db-json\",\"database\":\"shop\"}",
                            MediaType.TEXT_PLAIN_TYPE))))
        .isEqualTo(415);
  }

  @Test
  void startInspectApproveCancelAndNotFound() {
    Map<String, Object> request = request("db-rest", null);
    Response started = api("/onboardings", ALICE).post(Entity.json(request));
    assertThat(started.getStatus()).isEqualTo(201);
    assertThat(started.readEntity(String.class)).contains("onboard/us-east-1/db-rest/shop");

    assertThat(status(api("/onboardings", ALICE).post(Entity.json(request)))).isEqualTo(409);

    Response progress = api("/onboardings/us-east-1/db-rest/shop", BOB).get();
    assertThat(progress.getStatus()).isEqualTo(200);
    assertThat(progress.readEntity(String.class)).contains("\"currentStep\":\"PREFLIGHT\"");

    // alice started it: she may not decide its reboot, whatever the body says.
    String approve = "/onboardings/us-east-1/db-rest/shop/approve";
    Response own = api(approve, ALICE).post(Entity.json(Map.of("approver", "bob")));
    assertThat(own.getStatus()).isEqualTo(403);
    assertThat(own.readEntity(String.class))
        .contains("alice started this onboarding")
        .contains("policy.requesterMayApproveReboot");
    Response ownReject =
        api("/onboardings/us-east-1/db-rest/shop/reject", ALICE).post(Entity.json("{}"));
    assertThat(status(ownReject)).isEqualTo(403);

    // bob passes the policy and reaches the workflow, which has no approval pending yet.
    Response approveByBob = api(approve, BOB).post(Entity.json("{}"));
    assertThat(approveByBob.getStatus()).isEqualTo(409);
    assertThat(approveByBob.readEntity(String.class)).contains("no reboot approval is pending");

    assertThat(status(api("/onboardings/us-east-1/db-rest/shop", BOB).delete())).isEqualTo(200);
    assertThat(status(api("/onboardings/us-east-1/nope/shop", BOB).get())).isEqualTo(404);
    assertThat(status(api("/onboardings/us-east-1/nope/shop/approve", BOB).post(Entity.json("{}"))))
        .isEqualTo(404);
  }

  @Test
  void healthChecksSayWhatIsReachableButNameNoHostOrKey() {
    Response r =
        APP.client()
            .target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
            .request()
            .get();
    String body = r.readEntity(String.class);
    assertThat(body).contains("\"temporal\"").contains("Temporal answers");
    assertThat(body).contains("\"materialize\"").contains("\"healthy\":false");
    assertThat(body).contains("\"aws-credentials\"");
    assertThat(body)
        .doesNotContain("127.0.0.1")
        .doesNotContain("localhost")
        .doesNotContain(String.valueOf(TEMPORAL_PORT))
        .doesNotContain("test\"")
        .doesNotContain("...")
        .doesNotContain(ALICE)
        .doesNotContain(BOB)
        .doesNotContain(PAYLOAD_KEY);
    // The worker's health, its admin page and its metrics name no token or key either.
    for (String path : new String[] {"/healthcheck?pretty=true", "/metrics", "/"}) {
      String page =
          APP.client()
              .target("http://localhost:" + APP.getAdminPort() + path)
              .request()
              .get()
              .readEntity(String.class);
      assertThat(page)
          .as(path)
          .doesNotContain(ALICE)
          .doesNotContain(BOB)
          .doesNotContain(PAYLOAD_KEY);
    }
  }

  @Test
  void theAdminPortHasNoTasks() {
    for (String task : new String[] {"log-level", "gc"}) {
      Response r =
          APP.client()
              .target("http://localhost:" + APP.getAdminPort() + "/tasks/" + task)
              .queryParam("logger", "ROOT")
              .queryParam("level", "OFF")
              .request()
              .post(Entity.text(""));
      assertThat(status(r)).as(task).isEqualTo(404);
    }
    Response metrics =
        APP.client().target("http://localhost:" + APP.getAdminPort() + "/metrics").request().get();
    assertThat(status(metrics)).isEqualTo(200);
  }
}
