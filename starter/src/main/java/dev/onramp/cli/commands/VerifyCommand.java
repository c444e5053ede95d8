package dev.onramp.cli.commands;

import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.client.TemporalConnection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code onramp verify}: the re-verification, once, now. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-verify an onboarded database now: logical replication still on, publication, grants,"
          + " replication slot, and the Materialize source's status. Changes nothing.",
      "The schedule created by the onboarding runs the same check periodically."
    })
public class VerifyCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(paramLabel = "TARGET", description = "region/instance/database or the workflow id.")
  String target;

  @Override
  public Integer call() {
    try (TemporalConnection c = temporal.connect()) {
      VerificationReport report = temporal.client(c).verifyNow(Target.workflowId(target));
      if (output.json()) {
        System.out.println(Output.toJson(report));
      } else if (report.healthy()) {
        System.out.println(report.dbInstanceId() + "/" + report.database() + ": healthy");
      } else {
        System.out.println(report.dbInstanceId() + "/" + report.database() + ": drift found");
        report.findings().forEach(f -> System.out.println("  - " + f));
      }
      return report.healthy() ? ExitCodes.OK : ExitCodes.ONBOARDING_FAILED;
    }
  }
}
