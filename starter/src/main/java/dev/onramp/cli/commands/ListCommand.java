package dev.onramp.cli.commands;

import dev.onramp.cli.Output;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code onramp list}: onboardings, newest first, with their step and status. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List onboardings.")
public class ListCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      List<OnboardingClient.OnboardingSummary> rows = temporal.client(c).list(limit);
      if (output.json()) {
        System.out.println(Output.toJson(rows));
        return 0;
      }
      System.out.printf(
          Locale.ROOT,
          "%-45s %-10s %-26s %-22s %s%n",
          "WORKFLOW",
          "EXECUTION",
          "STEP",
          "STATUS",
          "STARTED");
      for (var r : rows) {
        System.out.printf(
            Locale.ROOT,
            "%-45s %-10s %-26s %-22s %s%n",
            r.workflowId(),
            r.executionStatus(),
            r.step(),
            r.status(),
            r.startedAt());
      }
      return 0;
    }
  }
}
