package dev.onramp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.testserver.TestServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole worker application on random ports against a Temporal server on a real port. AWS and
 * Materialize point at a closed loopback port: nothing here reaches outside this machine.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OnrampApplicationTest {
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
          ConfigOverride.config("temporal.taskQueue", "worker-test"),
          ConfigOverride.config("aws.endpoint", "http://127.0.0.1:1"),
          ConfigOverride.config("materialize.port", "1"),
          // No RDS CA bundle on a build machine; upstreams are never reached here.
          ConfigOverride.config("upstream.sslMode", "require"),
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

  private jakarta.ws.rs.client.WebTarget api(String path) {
    return APP.client().target("http://localhost:" + APP.getLocalPort() + path);
  }

  @Test
  void badRequestIsRefusedWithEveryProblemNamed() {
    Response r =
        api("/onboardings")
            .request()
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

  @Test
  void startInspectApproveCancelAndNotFound() {
    Map<String, Object> request =
        Map.of("region", "us-east-1", "dbInstanceId", "db-rest", "database", "shop");
    Response started = api("/onboardings").request().post(Entity.json(request));
    assertThat(started.getStatus()).isEqualTo(201);
    assertThat(started.readEntity(String.class)).contains("onboard/us-east-1/db-rest/shop");

    assertThat(api("/onboardings").request().post(Entity.json(request)).getStatus()).isEqualTo(409);

    Response progress = api("/onboardings/us-east-1/db-rest/shop").request().get();
    assertThat(progress.getStatus()).isEqualTo(200);
    assertThat(progress.readEntity(String.class)).contains("\"currentStep\":\"PREFLIGHT\"");

    Response approve =
        api("/onboardings/us-east-1/db-rest/shop/approve")
            .request()
            .post(Entity.json(Map.of("approver", "alice")));
    assertThat(approve.getStatus()).isEqualTo(409);
    assertThat(approve.readEntity(String.class)).contains("no reboot approval is pending");

    assertThat(api("/onboardings/us-east-1/db-rest/shop").request().delete().getStatus())
        .isEqualTo(200);
    assertThat(api("/onboardings/us-east-1/nope/shop").request().get().getStatus()).isEqualTo(404);
  }

  @Test
  void healthChecksSayWhatIsReachable() {
    Response r =
        APP.client()
            .target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
            .request()
            .get();
    String body = r.readEntity(String.class);
    assertThat(body).contains("\"temporal\"").contains("answers");
    assertThat(body).contains("\"materialize\"").contains("\"healthy\":false");
    assertThat(body).contains("\"aws-credentials\"");
  }
}
