package dev.onramp.cli.demo;

import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import dev.onramp.worker.core.SearchAttributeRegistrar;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Temporal server the demo uses: the one at TEMPORAL_ADDRESS; else a `temporal server
 * start-dev` child process when the Temporal CLI is on PATH (with its Web UI); else the SDK's
 * in-process test server (no Web UI, no schedules).
 */
public abstract class DemoTemporal implements AutoCloseable {

  public abstract WorkflowClient client();

  /** One line for the person: which server, and where its Web UI is (if any). */
  public abstract String description();

  /** Whether the server runs Temporal Schedules (the in-process test server does not). */
  public abstract boolean supportsSchedules();

  /** Where the person's browser finds the Web UI's workflow list, or null without a Web UI. */
  public abstract String webUiWorkflows();

  /** Ports of the dev server's frontend and Web UI; 0 takes a free one. */
  public record Ports(int frontend, int webUi) {
    public static final Ports ANY = new Ports(0, 0);
  }

  public static DemoTemporal choose(Path stateDir) {
    return choose(stateDir, Ports.ANY);
  }

  public static DemoTemporal choose(Path stateDir, Ports ports) {
    String address = System.getenv("TEMPORAL_ADDRESS");
    if (address != null && !address.isBlank()) {
      return new External(address);
    }
    Path cli = findOnPath("temporal");
    if (cli != null) {
      return DevServer.start(cli, stateDir, ports);
    }
    return new InProcess();
  }

  /** Refuses a port that something already listens on, naming it and the option that moves it. */
  static void requireFree(int port, String what, String option) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    } catch (java.io.IOException inUse) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "port "
              + port
              + " ("
              + what
              + ") is already in use on 127.0.0.1: stop what listens there, or choose another"
              + " port with "
              + option);
    }
  }

  static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** A server the user runs; the demo registers its search attributes if needed. */
  static final class External extends DemoTemporal {
    private final String address;
    private final TemporalConnection connection;

    External(String address) {
      this.address = address;
      this.connection = TemporalConnection.open(address, "default", null, false, null);
      try {
        connection.check(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        connection.close();
        throw new CliException(
            ExitCodes.UNREACHABLE,
            "cannot reach Temporal at TEMPORAL_ADDRESS="
                + address
                + "; start it, or unset TEMPORAL_ADDRESS to let the demo run its own");
      }
      SearchAttributeRegistrar.ensure(connection.client());
    }

    @Override
    public WorkflowClient client() {
      return connection.client();
    }

    @Override
    public String description() {
      return "Temporal at " + address + " (TEMPORAL_ADDRESS)";
    }

    @Override
    public String webUiWorkflows() {
      return null; // the person's own server: its Web UI is wherever they run it
    }

    @Override
    public boolean supportsSchedules() {
      return true;
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /** `temporal server start-dev` as a child process, stopped with the demo. */
  static final class DevServer extends DemoTemporal {
    private final TemporalDevServer server;

    private DevServer(TemporalDevServer server) {
      this.server = server;
    }

    static DevServer start(Path cli, Path stateDir, Ports ports) {
      requireFree(ports.frontend(), "the Temporal dev server's frontend", "--temporal-port");
      requireFree(ports.webUi(), "the Temporal Web UI", "--ui-port");
      try {
        return new DevServer(
            TemporalDevServer.start(
                cli,
                stateDir,
                true,
                ports.frontend() == 0 ? TemporalDevServer.freePort() : ports.frontend(),
                ports.webUi() == 0 ? TemporalDevServer.freePort() : ports.webUi()));
      } catch (IllegalStateException e) {
        throw new CliException(ExitCodes.UNREACHABLE, e.getMessage());
      }
    }

    @Override
    public WorkflowClient client() {
      return server.client();
    }

    @Override
    public String description() {
      return "Temporal dev server on " + server.address() + " (temporal server start-dev)";
    }

    @Override
    public String webUiWorkflows() {
      return server.webUi() + "/namespaces/default/workflows";
    }

    @Override
    public boolean supportsSchedules() {
      return true;
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** The SDK's in-process test server, in real time. */
  static final class InProcess extends DemoTemporal {
    private final TestWorkflowEnvironment env;
    private final WorkflowClient client;

    InProcess() {
      env =
          TestWorkflowEnvironment.newInstance(
              TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
      dev.onramp.workflows.OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(
          env::registerSearchAttribute);
      client =
          WorkflowClient.newInstance(
              env.getWorkflowServiceStubs(),
              WorkflowClientOptions.newBuilder().setNamespace(env.getNamespace()).build());
    }

    @Override
    public WorkflowClient client() {
      return client;
    }

    @Override
    public String description() {
      return "the SDK's in-process Temporal test server: the Temporal CLI is not installed, so"
          + " there is no Web UI (scripts/install-tools installs it into .tools/)";
    }

    @Override
    public String webUiWorkflows() {
      return null;
    }

    @Override
    public boolean supportsSchedules() {
      return false;
    }

    @Override
    public void close() {
      env.close();
    }
  }
}
