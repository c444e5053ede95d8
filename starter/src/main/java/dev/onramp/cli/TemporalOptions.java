package dev.onramp.cli;

import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where Temporal is; shared by every command that talks to it. */
public class TemporalOptions {
  @Option(
      names = "--temporal-address",
      defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}",
      description = "Temporal frontend host:port (env TEMPORAL_ADDRESS; default ${DEFAULT-VALUE}).")
  public String address;

  @Option(
      names = "--namespace",
      defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
      description = "Temporal namespace (env TEMPORAL_NAMESPACE; default ${DEFAULT-VALUE}).")
  public String namespace;

  @Option(
      names = "--task-queue",
      defaultValue = "${env:ONRAMP_TASK_QUEUE:-" + OnboardingWorkflows.DEFAULT_TASK_QUEUE + "}",
      description = "Task queue the worker polls (default ${DEFAULT-VALUE}).")
  public String taskQueue;

  @Option(
      names = "--temporal-tls",
      defaultValue = "${env:TEMPORAL_TLS:-false}",
      description = "Use TLS to reach Temporal (implied by TEMPORAL_API_KEY).")
  public boolean tls;

  /** Connects and checks the frontend answers, or fails with one line that says what to try. */
  public TemporalConnection connect() {
    TemporalConnection c =
        TemporalConnection.open(address, namespace, System.getenv("TEMPORAL_API_KEY"), tls, null);
    try {
      c.check(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      c.close();
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot reach Temporal at "
              + address
              + " ("
              + Onramp.rootMessage(e)
              + "); start one (temporal server start-dev, or docker compose up) or set"
              + " --temporal-address / TEMPORAL_ADDRESS");
    }
    return c;
  }

  public OnboardingClient client(TemporalConnection c) {
    return new OnboardingClient(c.client(), taskQueue);
  }
}
