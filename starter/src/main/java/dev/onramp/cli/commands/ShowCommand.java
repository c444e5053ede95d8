package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.cli.render.LedgerView;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code onramp show}: what onramp created, changed and reused for one target (its ledger). */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Show the ledger of a target's onboarding: every resource onramp created, changed or"
          + " reused, with what was there before.",
      "Reads the result of a completed onboarding, or the progress of one that is running,"
          + " failed or was cancelled.",
      "Example: onramp show us-east-1/db-1/shop -o json"
    })
public class ShowCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(paramLabel = "TARGET", description = "region/instance/database or the workflow id.")
  String target;

  @Override
  public Integer call() {
    String id = Target.workflowId(target);
    try (TemporalConnection c = temporal.connect()) {
      OnboardingClient.LedgerView view;
      try {
        view = temporal.client(c).ledger(id);
      } catch (WorkflowNotFoundException e) {
        throw noOnboarding(id);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw noOnboarding(id);
        }
        throw e;
      }
      if (output.json()) {
        System.out.println(Output.toJson(view));
      } else {
        LedgerView.lines(view).forEach(System.out::println);
      }
      return ExitCodes.OK;
    }
  }

  private CliException noOnboarding(String id) {
    return new CliException(
        ExitCodes.NOT_FOUND,
        "no onboarding of "
            + target
            + " ("
            + id
            + "); start one with onramp start, or see onramp list");
  }
}
