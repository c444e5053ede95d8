package dev.onramp.cli.commands;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.VerificationStatus;
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
      "The schedule created by the onboarding runs the same check periodically.",
      "Prints each finding with its severity and fix. Exit 0 healthy, 1 a warning or worse,"
          + " 3 when Materialize, the upstream or AWS could not be reached."
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
      } else {
        System.out.println(
            report.dbInstanceId() + "/" + report.database() + ": " + report.effectiveStatus());
        if (report.drift() != null) {
          for (Finding f : report.drift()) {
            System.out.println(
                "  " + f.severity() + "  " + f.kind() + " " + f.identifier() + ": " + f.problem());
            System.out.println("      fix: " + f.fix());
          }
        } else {
          report.findings().forEach(f -> System.out.println("  - " + f));
        }
      }
      return exitCode(report.effectiveStatus());
    }
  }

  /** HEALTHY 0; a warning or worse 1; a part that could not be checked 3 (unreachable). */
  static int exitCode(VerificationStatus status) {
    return switch (status) {
      case HEALTHY -> ExitCodes.OK;
      case WARNING, CRITICAL -> ExitCodes.ONBOARDING_FAILED;
      case UNREACHABLE -> ExitCodes.UNREACHABLE;
    };
  }
}
