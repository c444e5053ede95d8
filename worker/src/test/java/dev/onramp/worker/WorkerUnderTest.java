package dev.onramp.worker;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker application as the REST tests start it: against a Temporal test server on {@code
 * temporalPort}, with AWS and Materialize pointed at closed ports (the tests never reach them), on
 * free ports of its own; {@code overrides} add the test's tokens and policy.
 */
public final class WorkerUnderTest {
  static {
    // The AWS SDK's default credential chain must find something; no call is ever made.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }

  private WorkerUnderTest() {}

  public static DropwizardAppExtension<OnrampConfiguration> app(
      int temporalPort, String taskQueue, ConfigOverride... overrides) {
    List<ConfigOverride> all =
        new ArrayList<>(
            List.of(
                ConfigOverride.config("temporal.target", "127.0.0.1:" + temporalPort),
                ConfigOverride.config("temporal.taskQueue", taskQueue),
                ConfigOverride.config("aws.endpoint", "http://127.0.0.1:1"),
                ConfigOverride.config("materialize.port", "1"),
                // No RDS CA bundle on a build machine; upstreams are never reached here.
                ConfigOverride.config("upstream.sslMode", "require"),
                // Its activities fail against the closed ports and are retried; a stop need not
                // wait for an attempt to end (the default drain is 30 s, every class pays it).
                ConfigOverride.config("temporal.drainTimeoutSeconds", "1"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0")));
    all.addAll(List.of(overrides));
    return new DropwizardAppExtension<>(
        OnrampApplication.class, null, all.toArray(ConfigOverride[]::new));
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
