package dev.onramp.cli.demo;

import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server: {@code temporal server start-dev} as a child process on free loopback
 * ports, with onramp's search attributes registered; for the demo and the end-to-end tests.
 */
public final class TemporalDevServer implements AutoCloseable {
  private volatile Process process;
  private final List<String> command;
  private final Path log;
  private final TemporalConnection connection;
  private final int port;
  private final int uiPort;

  private TemporalDevServer(
      Process process,
      List<String> command,
      Path log,
      TemporalConnection connection,
      int port,
      int uiPort) {
    this.process = process;
    this.command = command;
    this.log = log;
    this.connection = connection;
    this.port = port;
    this.uiPort = uiPort;
  }

  /**
   * Starts the server and waits until it answers.
   *
   * @throws IllegalStateException naming the log file when it does not start within a minute
   */
  public static TemporalDevServer start(Path cli, Path stateDir, boolean webUi) {
    // A free port is free when picked, not when the server binds it: another process (a second
    // test JVM) can take it in between, and the server exits at once. Fresh ports, three tries.
    for (int attempt = 1; ; attempt++) {
      try {
        return start(cli, stateDir, webUi, freePort(), freePort());
      } catch (IllegalStateException e) {
        if (attempt == 3 || !e.getMessage().contains("did not start")) {
          throw e;
        }
      }
    }
  }

  /**
   * Starts the server with its frontend on {@code port} and its Web UI on {@code uiPort}, and waits
   * until it answers.
   *
   * @throws IllegalStateException naming the log file when it does not start within a minute
   */
  public static TemporalDevServer start(
      Path cli, Path stateDir, boolean webUi, int port, int uiPort) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                cli.toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--http-port",
                String.valueOf(freePort()),
                "--metrics-port",
                String.valueOf(freePort()),
                "--db-filename",
                stateDir.resolve("temporal.db").toString(),
                "--log-level",
                "error"));
    if (webUi) {
      cmd.addAll(List.of("--ui-port", String.valueOf(uiPort), "--ui-disable-news-fetch"));
    } else {
      cmd.add("--headless");
    }
    dev.onramp.workflows.OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(
        (name, type) -> {
          cmd.add("--search-attribute");
          cmd.add(
              name
                  + (type == IndexedValueType.INDEXED_VALUE_TYPE_DATETIME
                      ? "=Datetime"
                      : "=Keyword"));
        });
    Path log = stateDir.resolve("temporal.log");
    Process process;
    try {
      process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cli + ": " + e.getMessage(), e);
    }
    TemporalConnection connection =
        TemporalConnection.open("127.0.0.1:" + port, "default", null, false, null);
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      try {
        connection.check(Duration.ofSeconds(2));
        return new TemporalDevServer(process, cmd, log, connection, port, uiPort);
      } catch (RuntimeException notYet) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          process.destroyForcibly();
          connection.close();
          throw new IllegalStateException(
              "the Temporal dev server did not start; see " + log, notYet);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  /**
   * Stops the server (SIGTERM) and starts it again on the same port with the same database file, as
   * an operator restarting Temporal would; returns once it answers again. Clients reconnect.
   */
  public void restart() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      try {
        connection.check(Duration.ofSeconds(2));
        return;
      } catch (RuntimeException notYet) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("the Temporal dev server did not restart; see " + log);
        }
        Thread.sleep(200);
      }
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public String webUi() {
    return "http://127.0.0.1:" + uiPort;
  }

  public WorkflowClient client() {
    return connection.client();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    connection.close();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
