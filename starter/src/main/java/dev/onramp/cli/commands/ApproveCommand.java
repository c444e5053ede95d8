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

/** {@code onramp approve}: approves a pending reboot. */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = "Approve the pending reboot of an onboarding (reboot policy APPROVAL).")
public class ApproveCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(
      paramLabel = "TARGET",
      description =
          "region/instance/database or the workflow id (offboard/... for an offboarding).")
  String target;

  @Option(
      names = "--as",
      defaultValue = "${sys:user.name}",
      description = "Who approves (default: your user name).")
  String approver;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      String id = Target.gateWorkflowId(target);
      RebootDecision d;
      try {
        d = temporal.client(c).approve(id, approver);
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        throw EndedRuns.explain(c.client(), id, "approve", e);
      }
      System.out.println(output.json() ? Output.toJson(d) : "reboot approved by " + d.by());
      return 0;
    }
  }
}
