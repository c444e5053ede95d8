package dev.onramp.worker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.worker.OnrampConfiguration;
import dev.onramp.worker.WorkerUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /offboardings and its progress through the whole application: authenticated like the other
 * resources, bad input refused naming the field, a started offboarding's progress readable, a
 * second one refused while it runs. AWS and Materialize point at a closed port.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OffboardingResourceTest {
  private static final String TOKEN = "offboarding-test-token-0123456789abcdef";
  private static final int TEMPORAL_PORT = WorkerUnderTest.freePort();
  private static final TestServer.PortBoundTestServer TEMPORAL =
      TestServer.createPortBoundServer(TEMPORAL_PORT, false);

  // The worker polls this queue, but its first call (the ledger) cannot finish quickly here.
  static final DropwizardAppExtension<OnrampConfiguration> APP =
      WorkerUnderTest.app(
          TEMPORAL_PORT,
          "offboarding-test-nobody-polls",
          ConfigOverride.config("auth.tokens", "tester:" + TOKEN));

  @AfterAll
  static void stopTemporal() {
    TEMPORAL.close();
  }

  private static Invocation.Builder request(String path, boolean authenticated) {
    Invocation.Builder b =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + path)
            .request(MediaType.APPLICATION_JSON);
    return authenticated ? b.header("Authorization", "Bearer " + TOKEN) : b;
  }

  @Test
  void anUnauthenticatedCallerIsRefused() {
    Response r =
        request("/offboardings", false)
            .post(
                Entity.json(
                    Map.of("region", "us-east-1", "dbInstanceId", "db-1", "database", "shop")));
    assertThat(r.getStatus()).isEqualTo(401);
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    Response r =
        request("/offboardings", true)
            .post(
                Entity.json(
                    Map.of(
                        "region",
                        "us-east-1",
                        "dbInstanceId",
                        "db_1;drop",
                        "database",
                        "shop",
                        "waits",
                        Map.of("unreachableAfter", "PT0S"))));
    assertThat(r.getStatus()).isEqualTo(400);
    String body = r.readEntity(String.class);
    assertThat(body).contains("dbInstanceId").contains("waits.unreachableAfter");
  }

  @Test
  void startedThenItsProgressThenASecondStartIsAConflict() {
    Map<String, Object> body =
        Map.of("region", "us-east-1", "dbInstanceId", "db-7", "database", "shop");
    Response started = request("/offboardings", true).post(Entity.json(body));
    assertThat(started.getStatus()).isEqualTo(201);
    assertThat(started.readEntity(String.class)).contains("offboard/us-east-1/db-7/shop");

    Response again = request("/offboardings", true).post(Entity.json(body));
    assertThat(again.getStatus()).isEqualTo(409);

    Response missing = request("/offboardings/us-east-1/db-8/shop", true).get();
    assertThat(missing.getStatus()).isEqualTo(404);
    assertThat(missing.readEntity(String.class)).contains("no such offboarding");
  }
}
