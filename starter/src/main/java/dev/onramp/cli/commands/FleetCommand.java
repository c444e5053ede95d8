package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.FleetProgress;
import dev.onramp.workflows.FleetValidator;
import dev.onramp.workflows.FleetWorkflows;
import dev.onramp.workflows.client.FleetClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code onramp fleet status|pause|resume FLEET}: follow and steer a fleet started with {@code
 * onramp start --fleet}. FLEET is the fleet's name or its workflow id ({@code fleet/<name>}).
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "See, pause and resume a fleet started with onramp start --fleet.",
    subcommands = {FleetCommand.Status.class, FleetCommand.Pause.class, FleetCommand.Resume.class})
public class FleetCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The fleet's workflow id from its name or id; a bad name is refused before Temporal. */
  static String fleetId(String nameOrId) {
    String name = nameOrId.startsWith("fleet/") ? nameOrId.substring("fleet/".length()) : nameOrId;
    if (!FleetValidator.isName(name)) {
      throw new CliException(ExitCodes.BAD_INPUT, "FLEET: " + FleetValidator.notAName(name));
    }
    return FleetWorkflows.workflowId(name);
  }

  /** Runs {@code action} on the fleet; a fleet that does not exist (or ended) is exit 4, named. */
  static <T> T onFleet(
      TemporalOptions temporal,
      String nameOrId,
      String notRunning,
      BiFunction<FleetClient, String, T> action) {
    String id = fleetId(nameOrId);
    try (TemporalConnection c = temporal.connect()) {
      return action.apply(new FleetClient(c.client(), temporal.taskQueue), id);
    } catch (WorkflowNotFoundException e) {
      throw new CliException(ExitCodes.NOT_FOUND, "no " + notRunning + "fleet " + id);
    }
  }

  /** The status as people read it: paused or not, counts, who reboots, then the table. */
  static String render(String id, FleetProgress p) {
    StringBuilder out = new StringBuilder(id);
    out.append(p.paused() ? "  PAUSED (onramp fleet resume to go on)" : "  running");
    if (p.limits() != null) {
      out.append("\nlimits: ")
          .append(p.limits().onboardings())
          .append(" onboardings, ")
          .append(p.limits().reboots())
          .append(" reboots at once");
      if (!p.limits().rebootsPerRegion().isEmpty()) {
        out.append(" (per region: ").append(p.limits().rebootsPerRegion()).append(")");
      }
    }
    out.append("\n")
        .append(
            p.counts().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                .collect(Collectors.joining(", ")));
    out.append("\nrebooting: ").append(p.rebooting().isEmpty() ? "none" : p.rebooting());
    out.append("\n\n").append(p.table());
    return out.toString();
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Where FLEET stands: paused or not, how many databases are in each state, which"
              + " instances hold reboot slots, and the summary table (one row per database).")
  static class Status implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Mixin Output output;

    @Parameters(paramLabel = "FLEET", description = "the fleet's name (or fleet/<name>)")
    String fleet;

    @Override
    public Integer call() {
      FleetProgress p = onFleet(temporal, fleet, "", FleetClient::progress);
      System.out.println(output.json() ? Output.toJson(p) : render(fleetId(fleet), p));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description =
          "Start no further onboarding of FLEET and grant no further reboot slot until resumed."
              + " Onboardings already running go on; a reboot already granted finishes.")
  static class Pause implements Callable<Integer> {
    @Mixin TemporalOptions temporal;

    @Parameters(paramLabel = "FLEET", description = "the fleet's name (or fleet/<name>)")
    String fleet;

    @Override
    public Integer call() {
      String id =
          onFleet(
              temporal,
              fleet,
              "running ",
              (fleets, fleetId) -> {
                fleets.pause(fleetId);
                return fleetId;
              });
      System.out.println(id + ": paused");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Let a paused FLEET start onboardings and grant reboot slots again.")
  static class Resume implements Callable<Integer> {
    @Mixin TemporalOptions temporal;

    @Parameters(paramLabel = "FLEET", description = "the fleet's name (or fleet/<name>)")
    String fleet;

    @Override
    public Integer call() {
      String id =
          onFleet(
              temporal,
              fleet,
              "running ",
              (fleets, fleetId) -> {
                fleets.resume(fleetId);
                return fleetId;
              });
      System.out.println(id + ": running");
      return ExitCodes.OK;
    }
  }
}
