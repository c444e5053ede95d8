package dev.onramp.cli.commands;

import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.client.TemporalConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code onramp cancel}: asks the onboarding to stop; it reports what it created so far. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description =
        "Cancel an onboarding. It stops at the current step; 'onramp status' then"
            + " lists what it had created.")
public class CancelCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;

  @Parameters(
      paramLabel = "TARGET",
      description =
          "region/instance/database or the workflow id (offboard/... for an offboarding).")
  String target;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      String id = Target.gateWorkflowId(target);
      temporal.client(c).cancel(id);
      System.out.println("cancel requested for " + id);
      return 0;
    }
  }
}
