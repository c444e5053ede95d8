package dev.onramp.cli.commands;

import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.cli.render.ProgressView;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.client.TemporalConnection;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code onramp status}: the step list of one onboarding, once. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show where an onboarding stands.")
public class StatusCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(paramLabel = "TARGET", description = "region/instance/database or the workflow id.")
  String target;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      OnboardingProgress p = temporal.client(c).progress(Target.workflowId(target));
      if (output.json()) {
        System.out.println(Output.toJson(p));
      } else {
        ProgressView.lines(p, Instant.now()).forEach(System.out::println);
      }
      return 0;
    }
  }
}
