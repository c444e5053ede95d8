package dev.onramp.cli.commands;

import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.RebootDecision;
import dev.onramp.workflows.client.TemporalConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code onramp reject}: rejects a pending reboot; the onboarding fails and changes no more. */
@Command(
    name = "reject",
    mixinStandardHelpOptions = true,
    description =
        "Reject the pending reboot; the onboarding stops (the parameter group stays"
            + " associated, pending reboot).")
public class RejectCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(
      paramLabel = "TARGET",
      description =
          "region/instance/database or the workflow id (offboard/... for an offboarding).")
  String target;

  @Option(names = "--as", defaultValue = "${sys:user.name}", description = "Who rejects.")
  String approver;

  @Option(names = "--reason", description = "Why, recorded in the workflow.")
  String reason;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      String id = Target.gateWorkflowId(target);
      RebootDecision d;
      try {
        d = temporal.client(c).reject(id, approver, reason);
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        throw EndedRuns.explain(c.client(), id, "reject", e);
      }
      System.out.println(output.json() ? Output.toJson(d) : "reboot rejected by " + d.by());
      return 0;
    }
  }
}
