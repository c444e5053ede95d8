package dev.onramp.worker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.worker.OnrampApplication;
import dev.onramp.worker.OnrampConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ServerSocket;
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
  private static final int TEMPORAL_PORT = freePort();
  private static final TestServer.PortBoundTestServer TEMPORAL =
      TestServer.createPortBoundServer(TEMPORAL_PORT, false);

  static {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }

  static final DropwizardAppExtension<OnrampConfiguration> APP =
      new DropwizardAppExtension<>(
          OnrampApplication.class,
          null,
          ConfigOverride.config("temporal.target", "127.0.0.1:" + TEMPORAL_PORT),
          // The worker polls this queue, but its first call (the ledger) cannot finish quickly
          // here.
          ConfigOverride.config("temporal.taskQueue", "offboarding-test-nobody-polls"),
          ConfigOverride.config("aws.endpoint", "http://127.0.0.1:1"),
          ConfigOverride.config("materialize.port", "1"),
          ConfigOverride.config("upstream.sslMode", "require"),
          ConfigOverride.config("auth.tokens", "tester:" + TOKEN),
          ConfigOverride.config("server.applicationConnectors[0].port", "0"),
          ConfigOverride.config("server.adminConnectors[0].port", "0"));

  @AfterAll
  static void stopTemporal() {
    TEMPORAL.close();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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
