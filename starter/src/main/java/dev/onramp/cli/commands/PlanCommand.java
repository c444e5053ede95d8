package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.Durations;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.cli.render.PlanView;
import dev.onramp.cli.request.RequestOptions;
import dev.onramp.workflows.OnboardingPlan;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code onramp plan}: what {@code onramp start} with the same request would do; changes nothing.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Show what onboarding this request would do, changing nothing: preflight as the onboarding"
          + " runs it, then every resource inspected — groups to create or copy, whether a reboot"
          + " is needed and why, rules to add, objects to create or reuse, conflicts.",
      "Takes the same flags and request file as onramp start; a request start would refuse is"
          + " refused the same way.",
      "Example: onramp plan --region us-east-1 --instance db-1 --database shop --tables orders"
    })
public class PlanCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;
  @Mixin RequestOptions requestOptions;

  @Option(
      names = "--timeout",
      converter = Durations.class,
      defaultValue = "10m",
      description = "Give up waiting for the plan after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    OnboardingRequest request = requestOptions.request();
    try (TemporalConnection connection = temporal.connect()) {
      OnboardingClient client = temporal.client(connection);
      if (!client.workerPolling()) {
        System.err.println(
            "onramp: no worker is polling task queue "
                + client.taskQueue()
                + "; the plan waits until one does (start one: ./onramp worker)");
      }
      OnboardingPlan plan;
      try {
        plan = client.plan(request, timeout);
      } catch (WorkflowFailedException e) {
        Throwable cause = e.getCause();
        throw new CliException(
            ExitCodes.ONBOARDING_FAILED,
            "the onboarding would be refused: "
                + (cause instanceof ApplicationFailure af
                    ? af.getOriginalMessage()
                    : String.valueOf(cause)));
      }
      if (output.json()) {
        System.out.println(Output.toJson(plan));
      } else {
        PlanView.lines(plan).forEach(System.out::println);
      }
      return ExitCodes.OK;
    }
  }
}
