package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.cli.request.FleetFile;
import dev.onramp.cli.request.RequestFile;
import dev.onramp.workflows.FleetProgress;
import dev.onramp.workflows.FleetRequest;
import dev.onramp.workflows.FleetResult;
import dev.onramp.workflows.client.FleetClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code onramp start --fleet}: reads and validates the fleet file (nothing starts on any problem),
 * starts the fleet, and with {@code --wait} prints its summary table until it ends.
 */
final class FleetStart {
  private final TemporalOptions temporal;
  private final Output output;

  FleetStart(TemporalOptions temporal, Output output) {
    this.temporal = temporal;
    this.output = output;
  }

  int start(Path file, boolean waitForEnd, Duration timeout) throws Exception {
    FleetRequest request;
    try {
      request = FleetFile.read(file);
    } catch (RequestFile.Invalid e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    try (TemporalConnection connection = temporal.connect()) {
      WorkflowClient client = connection.client();
      FleetClient fleets = new FleetClient(client, temporal.taskQueue);
      String id;
      try {
        id = fleets.start(request, System.getProperty("user.name", "unknown"));
      } catch (FleetClient.AlreadyRunningException e) {
        throw new CliException(ExitCodes.CONFLICT, e.getMessage());
      }
      if (!waitForEnd) {
        System.out.println(
            output.json()
                ? Output.toJson(Map.of("workflowId", id))
                : "started " + id + " (" + request.databases().size() + " databases)");
        return ExitCodes.OK;
      }
      if (!output.json()) {
        System.out.println("started " + id + " (" + request.databases().size() + " databases)");
      }
      FleetResult result;
      try {
        result = fleets.awaitResult(id, timeout);
      } catch (java.util.concurrent.TimeoutException e) {
        FleetProgress p = fleets.progress(id);
        System.out.println(p.table());
        throw new CliException(
            ExitCodes.STILL_RUNNING, "fleet " + id + " still running after " + timeout);
      }
      System.out.println(output.json() ? Output.toJson(result) : result.table());
      if (!output.json()) {
        System.out.println(result.succeeded() + " succeeded, " + result.failed() + " failed");
      }
      return result.failed() == 0 ? ExitCodes.OK : ExitCodes.ONBOARDING_FAILED;
    }
  }
}
