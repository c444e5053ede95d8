package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.Durations;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.client.ReverificationSchedules;
import dev.onramp.workflows.client.ReverificationSchedules.View;
import dev.onramp.workflows.client.TemporalConnection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code onramp schedule ...}: the re-verification schedules, over Temporal Schedules. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = "See and steer the re-verification schedules the onboardings created.",
    subcommands = {
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Unpause.class,
      ScheduleCommand.Trigger.class,
      ScheduleCommand.SetInterval.class
    })
public class ScheduleCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs {@code action} on the target's schedule; a missing schedule is exit 4, named. */
  static int onSchedule(TemporalOptions temporal, String target, Consumer<String> action) {
    String id = ReverificationSchedules.scheduleId(Target.workflowId(target));
    try {
      action.accept(id);
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException s
            && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new CliException(
              ExitCodes.NOT_FOUND,
              "no re-verification schedule "
                  + id
                  + " (onboard the database with --reverify-every, or see onramp schedule list)");
        }
      }
      throw e;
    }
  }

  static String render(View v) {
    StringBuilder out = new StringBuilder(v.scheduleId());
    out.append(v.paused() ? "  PAUSED" : "  active");
    if (v.paused() && v.note() != null && !v.note().isBlank()) {
      out.append(" (").append(v.note()).append(")");
    }
    out.append("  every ").append(v.every() == null ? "?" : Durations.format(v.every()));
    out.append("\n    next: ")
        .append(
            v.nextRuns().isEmpty()
                ? "none"
                : join(v.nextRuns().stream().map(Object::toString).toList()));
    out.append("\n    last: ");
    if (v.lastRuns().isEmpty()) {
      out.append("none yet");
    }
    for (ReverificationSchedules.LastRun r : v.lastRuns()) {
      out.append("\n      ").append(r.at()).append("  ").append(r.workflowId());
    }
    return out.toString();
  }

  private static String join(List<String> items) {
    return String.join(", ", items);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Every re-verification"
              + " schedule (or TARGET's): interval, paused or not, next and last runs.")
  static class ListSchedules implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Mixin Output output;

    @Parameters(arity = "0..1", paramLabel = "TARGET", description = "region/instance/database")
    String target;

    @Override
    public Integer call() {
      try (TemporalConnection c = temporal.connect()) {
        ReverificationSchedules schedules = new ReverificationSchedules(c.client());
        List<View> views;
        if (target == null) {
          views = schedules.list();
        } else {
          View[] one = new View[1];
          onSchedule(temporal, target, id -> one[0] = schedules.describe(id));
          views = List.of(one[0]);
        }
        if (output.json()) {
          System.out.println(Output.toJson(views));
        } else if (views.isEmpty()) {
          System.out.println("no re-verification schedules");
        } else {
          views.forEach(v -> System.out.println(render(v)));
        }
        return ExitCodes.OK;
      }
    }
  }

  /**
   * A subcommand that acts on one target's schedule: connects, runs {@link #act} with the
   * schedule's id, and turns a missing schedule into exit 4.
   */
  abstract static class OnTarget implements Callable<Integer> {
    @Mixin TemporalOptions temporal;

    @Parameters(index = "0", paramLabel = "TARGET", description = "region/instance/database")
    String target;

    /** Checks the arguments before anything is connected; throws {@link CliException}. */
    void validate() {}

    /** Changes the schedule {@code id} and returns the line that says what it is now. */
    abstract String act(ReverificationSchedules schedules, String id);

    @Override
    public Integer call() {
      validate();
      try (TemporalConnection c = temporal.connect()) {
        ReverificationSchedules s = new ReverificationSchedules(c.client());
        return onSchedule(temporal, target, id -> System.out.println(id + ": " + act(s, id)));
      }
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop the scheduled re-verification of TARGET until unpaused.")
  static class Pause extends OnTarget {
    @Option(names = "--note", description = "Why (shown by schedule list and the Web UI).")
    String note = "paused with onramp schedule pause";

    @Override
    String act(ReverificationSchedules schedules, String id) {
      schedules.pause(id, note);
      return "paused";
    }
  }

  @Command(
      name = "unpause",
      mixinStandardHelpOptions = true,
      description = "Resume the scheduled re-verification of TARGET.")
  static class Unpause extends OnTarget {
    @Override
    String act(ReverificationSchedules schedules, String id) {
      schedules.unpause(id, "unpaused with onramp schedule unpause");
      return "active";
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description =
          "Run TARGET's"
              + " scheduled re-verification now (its result shows in schedule list and the Web UI).")
  static class Trigger extends OnTarget {
    @Override
    String act(ReverificationSchedules schedules, String id) {
      schedules.trigger(id);
      return "triggered";
    }
  }

  @Command(
      name = "set-interval",
      mixinStandardHelpOptions = true,
      description = "Re-verify TARGET every INTERVAL (1m or more: 5m, 1h, 1d, or ISO-8601).")
  static class SetInterval extends OnTarget {
    @Parameters(index = "1", paramLabel = "INTERVAL", description = "e.g. 15m, 1h")
    String interval;

    private Duration every;

    @Override
    void validate() {
      try {
        every = Durations.parse(interval);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
      }
      if (every.compareTo(ReverificationSchedules.MIN_INTERVAL) < 0) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "interval '"
                + interval
                + "' is under one minute; re-verification runs at most once a minute. Nothing"
                + " was changed");
      }
    }

    @Override
    String act(ReverificationSchedules schedules, String id) {
      schedules.setInterval(id, every);
      return "every " + Durations.format(every);
    }
  }
}
