package dev.onramp.worker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.worker.OnrampConfiguration;
import dev.onramp.worker.WorkerUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /fleets: authenticated like every endpoint; a bad fleet (the same database twice, an unknown
 * field, a limit of 0) is refused with 400 naming the item, and nothing starts; a good one answers
 * 201 with the fleet's id, and its progress is there under GET /fleets/{name}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FleetRestTest {
  private static final String TOKEN = "fleet-test-token-0123456789abcdefghijkl";
  private static final int TEMPORAL_PORT = WorkerUnderTest.freePort();
  private static final TestServer.PortBoundTestServer TEMPORAL =
      TestServer.createPortBoundServer(TEMPORAL_PORT, false);

  static final DropwizardAppExtension<OnrampConfiguration> APP =
      WorkerUnderTest.app(
          TEMPORAL_PORT,
          "fleet-rest-test",
          ConfigOverride.config("auth.tokens", "tester:" + TOKEN));

  @AfterAll
  static void stopTemporal() {
    TEMPORAL.close();
  }

  static final String ONE = "{\"dbInstanceId\": \"db-1\", \"database\": \"shop\"}";

  static String fleet(String name, String limits, String databases) {
    return "{\"name\": \""
        + name
        + "\", \"limits\": "
        + limits
        + ", \"defaults\": {\"region\": \"us-east-1\"}, \"databases\": ["
        + databases
        + "]}";
  }

  Response post(String body, boolean authenticated) {
    var request = APP.client().target(base() + "/fleets").request(MediaType.APPLICATION_JSON);
    if (authenticated) {
      request = request.header("Authorization", "Bearer " + TOKEN);
    }
    return request.post(Entity.entity(body, MediaType.APPLICATION_JSON));
  }

  /** The status, the body read and the connection given back to the client's pool. */
  static int status(Response r) {
    try (r) {
      r.readEntity(String.class);
      return r.getStatus();
    }
  }

  String base() {
    return "http://localhost:" + APP.getLocalPort();
  }

  @Test
  void refusesBadFleetsNamingTheItemAndStartsNothing() {
    assertThat(status(post(fleet("anon", "{\"reboots\": 1}", ONE), false))).isEqualTo(401);

    Response dup = post(fleet("dup", "{\"reboots\": 1}", ONE + "," + ONE), true);
    assertThat(dup.getStatus()).isEqualTo(400);
    assertThat(dup.readEntity(String.class))
        .contains("databases[1]: us-east-1/db-1/shop is already databases[0]");

    Response unknown =
        post(
            fleet(
                "unknown",
                "{\"reboots\": 1}",
                ONE + ", {\"dbInstanceId\": \"db-2\", \"database\": \"x\", \"tabels\": []}"),
            true);
    assertThat(unknown.getStatus()).isEqualTo(400);
    assertThat(unknown.readEntity(String.class)).contains("databases[1].tabels");

    Response zero = post(fleet("zero", "{\"reboots\": 0}", ONE), true);
    assertThat(zero.getStatus()).isEqualTo(400);
    assertThat(zero.readEntity(String.class)).contains("limits.reboots: 0 would start nothing");

    // Pause and resume name the fleet they cannot find.
    for (String action : new String[] {"pause", "resume"}) {
      Response missing =
          APP.client()
              .target(base() + "/fleets/no-such-fleet/" + action)
              .request()
              .header("Authorization", "Bearer " + TOKEN)
              .post(Entity.json("{}"));
      assertThat(missing.getStatus()).as(action).isEqualTo(404);
      assertThat(missing.readEntity(String.class)).contains("no fleet no-such-fleet");
    }

    // Every refused fleet left nothing behind.
    for (String name : new String[] {"anon", "dup", "unknown", "zero"}) {
      Response status =
          APP.client()
              .target(base() + "/fleets/" + name)
              .request()
              .header("Authorization", "Bearer " + TOKEN)
              .get();
      assertThat(status(status)).as(name).isEqualTo(404);
    }
  }

  @Test
  void startsAGoodFleetOnceAndShowsItsProgress() {
    Response started = post(fleet("good", "{\"reboots\": 2, \"onboardings\": 1}", ONE), true);
    assertThat(started.getStatus()).isEqualTo(201);
    assertThat(started.readEntity(String.class)).contains("fleet/good");
    assertThat(status(post(fleet("good", "{\"reboots\": 2}", ONE), true))).isEqualTo(409);
    Response progress =
        APP.client()
            .target(base() + "/fleets/good")
            .request()
            .header("Authorization", "Bearer " + TOKEN)
            .get();
    assertThat(progress.getStatus()).isEqualTo(200);
    assertThat(progress.readEntity(String.class)).contains("onboard/us-east-1/db-1/shop");
  }
}
