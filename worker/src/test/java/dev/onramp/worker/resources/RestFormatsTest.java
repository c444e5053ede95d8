package dev.onramp.worker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.worker.OnrampConfiguration;
import dev.onramp.worker.WorkerUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a person types into and reads from the REST API: durations in the CLI's form ({@code 30s},
 * {@code 2h}) as well as ISO-8601; times and durations answered as ISO-8601 text, not Jackson's
 * numbers of seconds; a duration that is neither is refused naming the field.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RestFormatsTest {
  static final String TOKEN = "formats-token-0123456789abcdefghijklmn";
  private static final int TEMPORAL_PORT = WorkerUnderTest.freePort();
  private static final TestServer.PortBoundTestServer TEMPORAL =
      TestServer.createPortBoundServer(TEMPORAL_PORT, false);

  static final DropwizardAppExtension<OnrampConfiguration> APP =
      WorkerUnderTest.app(
          TEMPORAL_PORT, "formats-test", ConfigOverride.config("auth.tokens", "ops:" + TOKEN));

  @AfterAll
  static void stopTemporal() {
    TEMPORAL.close();
  }

  private static jakarta.ws.rs.client.Invocation.Builder api(String path) {
    // The test client's 5 s read timeout is too short for a first start on a busy machine.
    return APP.client()
        .property(org.glassfish.jersey.client.ClientProperties.READ_TIMEOUT, 60_000)
        .target("http://localhost:" + APP.getLocalPort() + path)
        .request()
        .header("Authorization", "Bearer " + TOKEN);
  }

  @Test
  void durationsInTheClisFormAreTakenAndTimesAnswerAsIso8601() throws Exception {
    Map<String, Object> request =
        Map.of(
            "region", "us-east-1",
            "dbInstanceId", "db-formats",
            "database", "shop",
            "waits",
                Map.of("awsPollInterval", "30s", "approvalTimeout", "2h", "awsMaxWait", "PT3H"));
    try (Response started = api("/onboardings").post(Entity.json(request))) {
      assertThat(started.getStatus()).as(started.readEntity(String.class)).isEqualTo(201);
    }
    String body = null;
    for (int i = 0; i < 100; i++) {
      try (Response r = api("/onboardings/us-east-1/db-formats/shop").get()) {
        body = r.readEntity(String.class);
        if (r.getStatus() == 200 && body.contains("startedAt")) {
          break;
        }
      }
      Thread.sleep(100);
    }
    assertThat(body).contains("\"startedAt\":\"");
    String startedAt = body.replaceAll("(?s).*\"startedAt\":\"([^\"]+)\".*", "$1");
    assertThat(Instant.parse(startedAt)).isBefore(Instant.now().plusSeconds(1));
    assertThat(body).doesNotContainPattern("\"(startedAt|updatedAt)\":\\d");

    api("/onboardings/us-east-1/db-formats/shop").delete().close();
  }

  @Test
  void aDurationInNeitherFormIsRefusedNamingTheField() {
    Map<String, Object> request =
        Map.of(
            "region", "us-east-1",
            "dbInstanceId", "db-bad-duration",
            "database", "shop",
            "waits", Map.of("awsPollInterval", "thirty seconds"));
    try (Response r = api("/onboardings").post(Entity.json(request))) {
      String body = r.readEntity(String.class);
      assertThat(r.getStatus()).as(body).isEqualTo(400);
      assertThat(body).contains("awsPollInterval").contains("30s");
    }
  }
}
