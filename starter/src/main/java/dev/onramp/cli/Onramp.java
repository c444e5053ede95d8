package dev.onramp.cli;

import dev.onramp.cli.commands.ApproveCommand;
import dev.onramp.cli.commands.CancelCommand;
import dev.onramp.cli.commands.ConfirmNetworkCommand;
import dev.onramp.cli.commands.DemoCommand;
import dev.onramp.cli.commands.FleetCommand;
import dev.onramp.cli.commands.ListCommand;
import dev.onramp.cli.commands.OffboardCommand;
import dev.onramp.cli.commands.PlanCommand;
import dev.onramp.cli.commands.RejectCommand;
import dev.onramp.cli.commands.SandboxCommand;
import dev.onramp.cli.commands.ScheduleCommand;
import dev.onramp.cli.commands.ShowCommand;
import dev.onramp.cli.commands.StartCommand;
import dev.onramp.cli.commands.StatusCommand;
import dev.onramp.cli.commands.TablesCommand;
import dev.onramp.cli.commands.VerifyCommand;
import dev.onramp.cli.commands.WatchCommand;
import dev.onramp.cli.commands.WorkerCommand;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The onramp command line. */
@Command(
    name = "onramp",
    mixinStandardHelpOptions = true,
    version = "onramp 0.1.0",
    description = {
      "Onboards Amazon RDS for PostgreSQL databases into Materialize as durable Temporal"
          + " workflows.",
      "",
      "Try it locally with no AWS account: onramp demo"
    },
    subcommands = {
      StartCommand.class,
      PlanCommand.class,
      StatusCommand.class,
      ShowCommand.class,
      WatchCommand.class,
      ApproveCommand.class,
      ConfirmNetworkCommand.class,
      RejectCommand.class,
      CancelCommand.class,
      ListCommand.class,
      VerifyCommand.class,
      OffboardCommand.class,
      ScheduleCommand.class,
      FleetCommand.class,
      TablesCommand.class,
      WorkerCommand.class,
      SandboxCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the onboarding failed (the message says which step and why), or verify found a warning or worse",
      "2:bad arguments or request file",
      "3:Temporal, the worker or Materialize (for verify: or the upstream, AWS) could not be reached",
      "4:no such onboarding (or re-verification schedule)",
      "5:refused in the current state (already running, no approval pending)",
      "6:the onboarding was cancelled",
      "7:--wait gave up; the onboarding goes on",
      "8:the offboarding left something over (the report says how to finish)"
    })
public final class Onramp implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Onramp())
        .setExecutionExceptionHandler(Onramp::handle)
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** One clear line per failure, and an exit code that says what kind; no stack traces. */
  static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    int code;
    String message;
    if (e instanceof CliException c) {
      code = c.exitCode();
      message = c.getMessage();
    } else if (e instanceof WorkflowNotFoundException nf) {
      code = ExitCodes.NOT_FOUND;
      message = "no such onboarding: " + nf.getExecution().getWorkflowId();
    } else if (e instanceof WorkflowUpdateException u) {
      code = ExitCodes.CONFLICT;
      message = rootMessage(u);
    } else if (e instanceof StatusRuntimeException s) {
      code = ExitCodes.UNREACHABLE;
      message = "Temporal did not answer: " + s.getStatus().getCode() + " " + s.getMessage();
    } else {
      code = ExitCodes.ONBOARDING_FAILED;
      message = "unexpected error: " + rootMessage(e);
    }
    cmd.getErr().println("onramp: " + message);
    if (System.getenv("ONRAMP_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    return code;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure af) {
      return af.getOriginalMessage();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
