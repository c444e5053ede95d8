package dev.onramp.cli.commands;

import dev.onramp.cli.Durations;
import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.client.TemporalConnection;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code onramp watch}: follows an onboarding live until it ends. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Follow an onboarding live until it ends: the step list with state, elapsed"
          + " time and what it waits for; redrawn in place on a terminal, one line per change"
          + " otherwise."
    })
public class WatchCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(paramLabel = "TARGET", description = "region/instance/database or the workflow id.")
  String target;

  @Option(
      names = "--timeout",
      converter = Durations.class,
      defaultValue = "24h",
      description = "Stop following after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    try (TemporalConnection c = temporal.connect()) {
      return new Follow(temporal.client(c), output).follow(Target.workflowId(target), timeout);
    }
  }
}
