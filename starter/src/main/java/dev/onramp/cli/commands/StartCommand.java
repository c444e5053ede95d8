package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.Durations;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.cli.request.RequestOptions;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code onramp start}: validates a request and starts its onboarding workflow. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start onboarding one RDS for PostgreSQL database into Materialize.",
      "Give the request as flags, as a YAML file (-f), or both (flags win).",
      "Example: onramp start --region us-east-1 --instance db-1 --database shop --tables"
          + " orders,customers --wait",
      "A fleet (many databases, limits on onboardings and reboots): onramp start --fleet"
          + " fleet.yaml [--wait]; see examples/fleet.yaml."
    })
public class StartCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Mixin RequestOptions requestOptions;

  @Option(
      names = "--fleet",
      description =
          "Fleet file (YAML or JSON): name, limits, defaults, databases. The request flags do not"
              + " apply; every database is its own onboarding.")
  Path fleetFile;

  @Option(names = "--wait", description = "Follow the onboarding until it ends.")
  boolean waitForEnd;

  @Option(
      names = "--timeout",
      converter = Durations.class,
      defaultValue = "24h",
      description = "With --wait: give up following after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if (fleetFile != null) {
      return new FleetStart(temporal, output).start(fleetFile, waitForEnd, timeout);
    }
    OnboardingRequest request = requestOptions.request();
    try (TemporalConnection connection = temporal.connect()) {
      OnboardingClient client = temporal.client(connection);
      String id;
      try {
        id = client.start(request);
      } catch (OnboardingClient.AlreadyRunningException e) {
        throw new CliException(ExitCodes.CONFLICT, e.getMessage());
      }
      if (!client.workerPolling()) {
        System.err.println(
            "onramp: no worker is polling task queue "
                + client.taskQueue()
                + " on Temporal at "
                + temporal.address
                + "; the onboarding waits until one does (start one: ./onramp worker)");
      }
      if (!waitForEnd) {
        System.out.println(
            output.json() ? Output.toJson(Map.of("workflowId", id)) : "started " + id);
        return ExitCodes.OK;
      }
      if (!output.json()) {
        System.out.println("started " + id);
      }
      return new Follow(client, output).follow(id, timeout);
    }
  }
}
