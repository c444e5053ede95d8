package dev.onramp.cli.commands;

import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.NetworkConfirmed;
import dev.onramp.workflows.client.TemporalConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code onramp confirm-network}: the SSH keys or the PrivateLink principal are in place. */
@Command(
    name = "confirm-network",
    mixinStandardHelpOptions = true,
    description =
        "Confirm that Materialize's SSH keys are in the bastion's authorized_keys, or its"
            + " PrivateLink principal is allowed on the endpoint service (network modes"
            + " SSH_BASTION, PRIVATELINK_SERVICE); the onboarding then validates the connection.")
public class ConfirmNetworkCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(paramLabel = "TARGET", description = "region/instance/database or the workflow id.")
  String target;

  @Option(
      names = "--as",
      defaultValue = "${sys:user.name}",
      description = "Who confirms (default: your user name).")
  String by;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      NetworkConfirmed confirmed = temporal.client(c).confirmNetwork(Target.workflowId(target), by);
      System.out.println(
          output.json()
              ? Output.toJson(confirmed)
              : "network path confirmed by "
                  + confirmed.by()
                  + "; the onboarding validates it now");
      return 0;
    }
  }
}
