package dev.onramp.cli.commands;

import dev.onramp.cli.CliException;
import dev.onramp.cli.Durations;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.cli.render.OffboardingView;
import dev.onramp.cli.request.AwsWaitOptions;
import dev.onramp.workflows.OffboardingRequest;
import dev.onramp.workflows.OffboardingResult;
import dev.onramp.workflows.OffboardingWaits;
import dev.onramp.workflows.OffboardingWorkflows;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.RequestValidator;
import dev.onramp.workflows.client.OffboardingClient;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code onramp offboard}: removes what onboarding a target created, and follows it to the end. */
@Command(
    name = "offboard",
    mixinStandardHelpOptions = true,
    description = {
      "Offboard a database: remove what onramp's onboardings of it created, newest first (the"
          + " re-verification schedule, the Materialize source, connection, secret and cluster,"
          + " the replication slot, grants, role, publication and replica identities, the ingress"
          + " rules and the replication secret), restore what they changed, and keep what they"
          + " found or what someone changed since.",
      "A system that stays unreachable leaves its part over: the report says what is left and"
          + " how to finish (run offboard again once it is back). Exit code 8 then.",
      "Run while an offboarding of the target is running, it follows that one. With"
          + " --reboot-policy APPROVAL, approve the reboot with: onramp approve"
          + " offboard/<region>/<instance>/<database>",
      "Example: onramp offboard us-east-1/db-1/shop --restore-parameter-group --reboot-policy"
          + " IMMEDIATE"
    })
public class OffboardCommand implements Callable<Integer> {
  @Mixin TemporalOptions temporal;
  @Mixin Output output;

  @Parameters(
      paramLabel = "TARGET",
      description = "region/instance/database, or the onboarding's workflow id.")
  String target;

  @Option(
      names = "--restore-parameter-group",
      description =
          "Put the instance back on the parameter group it used before onboarding (a reboot,"
              + " through --reboot-policy) and delete the group onramp created. Without it the"
              + " instance keeps logical replication on.")
  boolean restoreParameterGroup;

  @Option(
      names = "--reboot-policy",
      description =
          "With --restore-parameter-group: IMMEDIATE, APPROVAL (default) or MAINTENANCE_WINDOW.")
  String rebootPolicy;

  @Option(
      names = "--unreachable-after",
      converter = Durations.class,
      description =
          "Report a system unreachable, and leave its part over, after its calls kept failing"
              + " this long (default 2m).")
  Duration unreachableAfter;

  @Mixin AwsWaitOptions waits = new AwsWaitOptions();

  @Option(
      names = "--timeout",
      converter = Durations.class,
      defaultValue = "24h",
      description = "Give up following after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    OffboardingRequest request = request();
    try (TemporalConnection connection = temporal.connect()) {
      OffboardingClient client = new OffboardingClient(connection.client(), temporal.taskQueue);
      String id = OffboardingWorkflows.workflowId(request);
      try {
        client.start(request, System.getProperty("user.name", "unknown"));
        if (!output.json()) {
          System.out.println("started " + id);
        }
      } catch (OffboardingClient.AlreadyRunningException e) {
        // Run again while one runs (say, after this terminal lost it): follow that one.
        System.err.println(
            "onramp: an offboarding of "
                + target
                + " is already running ("
                + id
                + "); following it, not starting another (its flags stay as it was started)");
      }
      if (!new OnboardingClient(connection.client(), temporal.taskQueue).workerPolling()) {
        System.err.println(
            "onramp: no worker is polling task queue "
                + temporal.taskQueue
                + " on Temporal at "
                + temporal.address
                + "; the offboarding waits until one does (start one: ./onramp worker)");
      }
      return follow(client, id);
    }
  }

  private int follow(OffboardingClient client, String id) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    OffboardingView view = new OffboardingView(System.out, !output.json());
    while (true) {
      boolean closed =
          client.status(id) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      view.show(client.progress(id));
      if (closed) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        System.err.println(
            "onramp: still running after "
                + Durations.format(timeout)
                + "; its progress: GET /offboardings/"
                + id.replaceFirst("^offboard/", ""));
        return ExitCodes.STILL_RUNNING;
      }
      Thread.sleep(1000);
    }
    OffboardingResult result;
    try {
      result = client.awaitResult(id, Duration.ofSeconds(30));
    } catch (WorkflowFailedException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApplicationFailure app) {
        int code =
            switch (String.valueOf(app.getType())) {
              case OffboardingWorkflows.NOT_ONBOARDED -> ExitCodes.NOT_FOUND;
              case OffboardingWorkflows.ONBOARDING_RUNNING -> ExitCodes.CONFLICT;
              default -> ExitCodes.ONBOARDING_FAILED;
            };
        throw new CliException(code, "offboarding failed: " + app.getOriginalMessage());
      }
      throw new CliException(ExitCodes.ONBOARDING_FAILED, "offboarding ended: " + e.getMessage());
    }
    if (output.json()) {
      System.out.println(Output.toJson(result));
    } else {
      view.report(result);
    }
    return result.complete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
  }

  /** The request from the flags, validated; a bad flag fails before anything starts. */
  OffboardingRequest request() {
    String[] parts = targetParts(target);
    RebootPolicy policy;
    try {
      policy = rebootPolicy == null ? null : RequestValidator.rebootPolicy(rebootPolicy);
      if (policy != null && !restoreParameterGroup) {
        throw new IllegalArgumentException(
            "--reboot-policy: only used with --restore-parameter-group (offboarding reboots only"
                + " to restore the parameter group)");
      }
      return OffboardingRequest.validate(
          new OffboardingRequest(
              parts[0],
              parts[1],
              parts[2],
              restoreParameterGroup,
              policy,
              new OffboardingWaits(
                  unreachableAfter, waits.pollInterval, waits.maxWait, waits.approvalTimeout)));
    } catch (IllegalArgumentException e) { // InvalidRequestException included
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
  }

  private static String[] targetParts(String text) {
    String t = text.replaceFirst("^(onboard|offboard)/", "");
    String[] parts = t.split("/", -1);
    if (parts.length != 3) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "'"
              + text
              + "' does not name an onboarded database; write region/instance/database, e.g."
              + " us-east-1/db-1/shop");
    }
    return parts;
  }
}
