package dev.onramp.worker.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.onramp.worker.OnrampConfiguration;
import dev.onramp.worker.WorkerUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input through the REST API: every body is refused with 400 naming the field, or accepted
 * (201) as a safe value; hostile paths find nothing. Nothing answers 5xx and no refusal carries a
 * stack trace. AWS and Materialize point at a closed port: nothing leaves this machine.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HostileInputRestTest {
  private static final String TOKEN = "hostile-test-token-0123456789abcdefghij";
  private static final int TEMPORAL_PORT = WorkerUnderTest.freePort();
  private static final TestServer.PortBoundTestServer TEMPORAL =
      TestServer.createPortBoundServer(TEMPORAL_PORT, false);

  static final DropwizardAppExtension<OnrampConfiguration> APP =
      WorkerUnderTest.app(
          TEMPORAL_PORT, "hostile-test", ConfigOverride.config("auth.tokens", "tester:" + TOKEN));

  @AfterAll
  static void stopTemporal() {
    TEMPORAL.close();
  }

  /** A JSON field (dotted for nested ones), its hostile value, and the field a refusal names. */
  record Input(String field, Object value, String refusedField) {
    @Override
    public String toString() {
      String shown = String.valueOf(value);
      shown = shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
      return field + "=" + shown.replaceAll("\\p{Cntrl}", "?") + " -> " + refusedField;
    }
  }

  static Stream<Input> inputs() {
    List<Input> in = new ArrayList<>();
    refused(in, "database", "shop\"; DROP DATABASE x; --", "database");
    refused(in, "database", "\"shop\"; DROP DATABASE x; --", "database");
    refused(in, "database", "\"\"", "database");
    refused(in, "database", "\"", "database");
    refused(in, "database", "shop;", "database");
    refused(in, "database", "shop -- comment", "database");
    refused(in, "database", "/* c */shop", "database");
    refused(in, "database", "shop?sslmode=disable&host=10.0.0.9", "database");
    refused(in, "database", "shop/../x%2F#", "database");
    refused(in, "database", "shop\u0000", "database");
    refused(in, "database", "shop\nDROP", "database");
    refused(in, "database", "\u001b[2J", "database");
    refused(in, "database", "\"tab\there\"", "database");
    refused(in, "database", "", "database");
    refused(in, "database", "a".repeat(64), "database");
    refused(in, "database", "a".repeat(65), "database");
    refused(in, "database", "\"" + "é".repeat(32) + "\"", "database");
    refused(in, "database", "x".repeat(1 << 20), "database");
    accepted(in, "database", "\"a\"\"b\"");
    accepted(in, "database", "\"shop?host=10.0.0.9&port=1/%#\"");
    accepted(in, "database", "Café");
    accepted(in, "database", "\"日本語\"");
    accepted(in, "database", "a".repeat(63));
    accepted(in, "database", "\"select\"");
    refused(in, "dbInstanceId", "../db-1", "dbInstanceId");
    refused(in, "dbInstanceId", "db-1/../../x", "dbInstanceId");
    refused(in, "dbInstanceId", "db%2F1", "dbInstanceId");
    refused(in, "dbInstanceId", "db-1?x=1", "dbInstanceId");
    refused(in, "dbInstanceId", "db-1\u0000", "dbInstanceId");
    refused(in, "dbInstanceId", "d".repeat(64), "dbInstanceId");
    refused(in, "region", "us-east-1/../x", "region");
    refused(in, "region", "us-east-1\r\nX-Injected: 1", "region");
    refused(in, "publication", "mz_source; DROP PUBLICATION x", "publication");
    accepted(in, "publication", "\"Pub-1\"");
    refused(in, "replicationUser", "\"postgres\"--", "replicationUser");
    refused(in, "replicationUser", "materialize\u0007", "replicationUser");
    refused(in, "replicationPasswordSecret", "x'; --", "replicationPasswordSecret");
    refused(in, "materialize.cluster", "c\u0000", "materialize.cluster");
    refused(in, "materialize.clusterSize", "25cc; DROP", "materialize.clusterSize");
    refused(in, "materialize.sslMode", "verify-nothing", "materialize.sslMode");
    refused(in, "materialize.secret", "s; DROP SECRET x", "materialize.secret");
    accepted(in, "materialize.connection", "\"Conn \"\"1\"\"\"");
    refused(
        in,
        "tables",
        Map.of("mode", "TABLES", "names", List.of("orders; DROP TABLE x")),
        "tables.names[0]");
    refused(
        in,
        "tables",
        Map.of("mode", "TABLES", "names", Collections.nCopies(6000, "t")),
        "tables.names");
    refused(in, "tables", Map.of("mode", "SCHEMAS", "names", List.of()), "tables.names");
    refused(
        in,
        "adminCredentials",
        Map.of("kind", "SECRETS_MANAGER", "id", "../x y"),
        "adminCredentials.id");
    refused(in, "rebootPolicy", "whenever", "rebootPolicy");
    refused(in, "networkMode", "carrier-pigeon", "networkMode");
    refused(in, "tables", Map.of("mode", "SOME_TABLES", "names", List.of("t")), "tables.mode");
    refused(in, "dropEverything", true, "dropEverything");
    refused(in, "database", List.of("shop"), "database");
    return in.stream();
  }

  private static void refused(List<Input> in, String field, Object value, String named) {
    in.add(new Input(field, value, named));
  }

  private static void accepted(List<Input> in, String field, Object value) {
    in.add(new Input(field, value, null));
  }

  private static int instances;

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  @SuppressWarnings("unchecked")
  void eachBodyIsRefusedNamingTheFieldOrAcceptedAsASafeValue(Input input) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", "us-east-1");
    // A fresh instance id per input, so an accepted one never conflicts with another.
    body.put("dbInstanceId", "db-hostile-" + (++instances));
    body.put("database", "shop");
    body.put("rebootPolicy", "APPROVAL");
    if (input.field().startsWith("materialize.")) {
      Map<String, Object> m =
          (Map<String, Object>) body.computeIfAbsent("materialize", k -> new LinkedHashMap<>());
      m.put(input.field().substring("materialize.".length()), input.value());
    } else {
      body.put(input.field(), input.value());
    }
    Response r = api("/onboardings").post(Entity.json(body));
    String text = r.readEntity(String.class);
    assertThat(text).doesNotContain("\tat ").doesNotContain("Exception");
    if (input.refusedField() == null) {
      assertThat(r.getStatus()).as(text).isEqualTo(201);
    } else {
      assertThat(r.getStatus()).as(text).isEqualTo(400);
      assertThat(text).contains(input.refusedField());
      assertThat(text.length()).as("a refusal that fits on a screen").isLessThan(4000);
    }
  }

  static Stream<String> paths() {
    return Stream.of(
        "/onboardings/us-east-1/..%2F..%2Fadmin/shop",
        "/onboardings/us-east-1/db-1/shop%00",
        "/onboardings/us-east-1/db-1/%22shop%22%3B%20DROP",
        "/onboardings/..%2F..%2F/db-1/shop",
        "/onboardings/us-east-1/db-1/shop%3Fx%3D1%23",
        "/onboardings/us-east-1/db-1/" + "a".repeat(2000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void hostilePathsFindNothing(String path) {
    if (path.contains("%00")) {
      // Jetty refuses a NUL in the path before any resource sees it: "400 badMessage" on
      // HTTP/1.0, then it closes, which the client reports as no response.
      assertThat(catchThrowable(() -> api(path).get().close()))
          .satisfiesAnyOf(
              t -> assertThat(t).isNull(),
              t -> assertThat(t).isInstanceOf(jakarta.ws.rs.ProcessingException.class));
      return;
    }
    // Every response is read to its end, so the client's pooled connection is released.
    Response r = api(path).get();
    String text = r.readEntity(String.class);
    assertThat(r.getStatus()).as(text).isIn(400, 404, 414);
    Response approve = api(path + "/approve").post(Entity.json(Map.of("approver", "mallory")));
    text = approve.readEntity(String.class);
    assertThat(approve.getStatus()).as(text).isIn(400, 404, 414);
    assertThat(text).doesNotContain("\tat ");
  }

  @ParameterizedTest(name = "body {index}")
  @MethodSource("notJson")
  void aBodyThatIsNotARequestIsRefused(String body) {
    Response r = api("/onboardings").post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));
    assertThat(r.getStatus()).isIn(400, 422);
    assertThat(r.readEntity(String.class)).doesNotContain("\tat ");
  }

  static Stream<String> notJson() {
    return Stream.of("{{{", "region: us-east-1", "[1,2,3]", "\"a string\"", "null", "\u0000\u0001");
  }

  /** A request as an authenticated caller: every hostile input gets past authentication. */
  private jakarta.ws.rs.client.Invocation.Builder api(String path) {
    return APP.client()
        .target("http://localhost:" + APP.getLocalPort() + path)
        .request()
        .header("Authorization", "Bearer " + TOKEN);
  }

  @org.junit.jupiter.api.Test
  void aTableChangeOfATargetNeverOnboardedOrWithoutAnActionIsRefused() {
    Response never =
        api("/onboardings/us-east-1/db-never/shop/tables")
            .post(Entity.json(Map.of("action", "ADD", "tables", List.of("orders"))));
    String text = never.readEntity(String.class);
    assertThat(never.getStatus()).as(text).isEqualTo(404);
    assertThat(text).contains("onboard/us-east-1/db-never/shop").contains("has not completed");
    Response noAction =
        api("/onboardings/us-east-1/db-never/shop/tables")
            .post(Entity.json(Map.of("tables", List.of("orders"))));
    text = noAction.readEntity(String.class);
    assertThat(noAction.getStatus()).as(text).isEqualTo(400);
    assertThat(text).contains("action");
    Response progress = api("/onboardings/us-east-1/db-never/shop/tables").get();
    text = progress.readEntity(String.class);
    assertThat(progress.getStatus()).as(text).isEqualTo(404);
    assertThat(text).doesNotContain("\tat ");
  }
}
