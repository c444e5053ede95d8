package dev.onramp.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Temporal Web UI shows of a run besides its payloads (Temporal's "user metadata"): a
 * one-line summary set at start, the run's current details (markdown the UI renders on the detail
 * page, read through the built-in {@code __temporal_workflow_metadata} query), and summaries on
 * activities and timers that the UI's event history and timeline show instead of bare type names.
 *
 * <p>Summaries of activities and timers are kept in the history (the commands' {@code
 * user_metadata}); the replayer does not compare them, so adding or rewording them needs no
 * version. Current details are workflow state, not history. Nothing secret goes in: they are built
 * from ids, names and the progress messages, which never carry passwords.
 */
public final class WebUiMetadata {
  /** The signal the Web UI's "Send a Signal" sends to approve or reject a pending reboot. */
  public static final String DECISION_SIGNAL = "rebootDecision";

  private WebUiMetadata() {}

  /** The run's one-line summary in the UI's list and detail pages. */
  public static String onboardingSummary(OnboardingRequest request) {
    return "onboard " + request.dbInstanceId() + "/" + request.database() + " into Materialize";
  }

  /** The request in short, shown under the summary (static details). */
  public static String onboardingDetails(OnboardingRequest request) {
    return "**region** "
        + request.region()
        + " · **instance** "
        + request.dbInstanceId()
        + " · **database** "
        + request.database()
        + (request.rebootPolicy() == null ? "" : " · **reboot policy** " + request.rebootPolicy());
  }

  public static String offboardingSummary(OffboardingRequest request) {
    return "offboard " + request.dbInstanceId() + "/" + request.database() + " from Materialize";
  }

  public static String fleetSummary(FleetRequest request) {
    return "onboard fleet " + request.name() + " into Materialize";
  }

  public static String verificationSummary(OnboardingRequest request) {
    return "re-verify " + request.dbInstanceId() + "/" + request.database();
  }

  public static String tableChangeSummary(OnboardingRequest request) {
    return "change the tables of " + request.dbInstanceId() + "/" + request.database();
  }

  /** A timer that the UI labels with {@code summary}, e.g. "approval deadline". */
  public static TimerOptions timer(String summary) {
    return TimerOptions.newBuilder().setSummary(summary).build();
  }

  /**
   * Per-activity-type options that only add a summary (the SDK merges them over the stub's
   * options), for every method of {@code activities}: what the call does to which instance, e.g.
   * "reboot orders-db".
   */
  public static Map<String, ActivityOptions> activitySummaries(
      Class<?> activities, String dbInstanceId, String database) {
    Map<String, ActivityOptions> byType = new HashMap<>();
    for (Method m : activities.getMethods()) {
      // Activity type names are the method names with the first letter upper-cased (the SDK's
      // default, as OnboardingActivities relies on too).
      String type = Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
      byType.put(
          type,
          ActivityOptions.newBuilder()
              .setSummary(activitySummary(m.getName(), dbInstanceId, database))
              .build());
    }
    return byType;
  }

  /** What one call of activity method {@code method} does, as the UI's timeline shows it. */
  static String activitySummary(String method, String instance, String database) {
    String target = instance + "/" + database;
    return switch (method) {
      case "describeInstance" -> "describe " + instance;
      case "planParameterGroup" -> "plan the parameter group of " + instance;
      case "prepareParameterGroup", "convergeParameterGroup" ->
          "parameter group with rds.logical_replication=1 for " + instance;
      case "associateParameterGroup", "convergeAssociation" ->
          "associate the parameter group with " + instance;
      case "checkAssociated" -> "wait for " + instance + " to show the new parameter group";
      case "checkAvailable" -> "wait for " + instance + " to be available";
      case "reboot" -> "reboot " + instance;
      case "checkRebooted" -> "wait for " + instance + " to restart, parameters in-sync";
      case "checkLogicalReplication" -> "read rds.logical_replication on " + target;
      case "preflight" -> "preflight checks on " + target;
      case "ensureUpstreamObjects", "convergeUpstream" ->
          "publication, replication user and grants on " + target;
      case "ensureReplicationPassword", "convergeReplicationSecret" ->
          "replication password secret for " + instance;
      case "checkEgressCidrs" -> "read Materialize's egress IPs";
      case "authorizeIngress", "convergeIngress" ->
          "let Materialize's egress IPs reach " + instance;
      case "convergeCluster", "ensureCluster" -> "Materialize cluster for " + target;
      case "convergeSecret", "ensureSecret" -> "Materialize secret for " + target;
      case "convergeConnection", "ensureConnection" -> "Materialize connection to " + target;
      case "convergeSource", "ensureSource" -> "Materialize source for " + target;
      case "awaitSnapshot" -> "wait for the initial snapshot of " + target;
      case "ensureSchedule", "convergeSchedule" -> "re-verification schedule for " + target;
      default -> words(method) + " (" + target + ")";
    };
  }

  /** {@code clusterUtilization} as "cluster utilization". */
  static String words(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /**
   * The onboarding's current details: where it stands, what it waits for, how to approve a pending
   * reboot (CLI and the UI's signal), and the step list as {@code onramp watch} shows it.
   */
  static String onboardingDetails(OnboardingProgress p, String workflowId) {
    StringBuilder md = new StringBuilder();
    int current = p.currentStep() == null ? 0 : p.currentStep().ordinal() + 1;
    md.append("**")
        .append(p.status())
        .append("** · step ")
        .append(current)
        .append(" of ")
        .append(OnboardingStep.values().length)
        .append(": ")
        .append(p.currentStep() == null ? "" : p.currentStep().title())
        .append("\n\n");
    if (p.waitingFor() != null) {
      md.append("**Waiting for** ").append(cell(p.waitingFor())).append("\n\n");
    }
    if (p.status() == OnboardingStatus.WAITING_FOR_APPROVAL) {
      md.append(howToApprove(workflowId)).append("\n\n");
    }
    md.append("| | Step | State | Last message |\n|---|---|---|---|\n");
    List<StepProgress> steps = p.steps();
    for (int i = 0; i < steps.size(); i++) {
      StepProgress s = steps.get(i);
      md.append("| ")
          .append(mark(s.state()))
          .append(" | ")
          .append(i + 1)
          .append(". ")
          .append(s.step().title())
          .append(" | ")
          .append(s.state())
          .append(" | ")
          .append(s.message() == null ? "" : cell(s.message()))
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * The offboarding's current details: where it stands, what it waits for, how to approve the
   * reboot that restores the parameter group, and what it removed so far.
   */
  static String offboardingDetails(OffboardingProgress p, String workflowId) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(p.status()).append("** · ").append(p.part()).append("\n\n");
    if (p.waitingFor() != null) {
      md.append("**Waiting for** ").append(cell(p.waitingFor())).append("\n\n");
    }
    if (p.status() == OnboardingStatus.WAITING_FOR_APPROVAL) {
      md.append(howToApprove(workflowId)).append("\n\n");
    }
    if (p.failure() != null) {
      md.append("**Failed:** ").append(cell(p.failure())).append("\n\n");
    }
    if (!p.removals().isEmpty()) {
      md.append("| Resource | Outcome | Message |\n|---|---|---|\n");
      for (var r : p.removals()) {
        md.append("| ")
            .append(words(r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')))
            .append(" ")
            .append(cell(r.identifier()))
            .append(" | ")
            .append(r.outcome())
            .append(" | ")
            .append(r.message() == null ? "" : cell(r.message()))
            .append(" |\n");
      }
    }
    if (!p.leftovers().isEmpty()) {
      md.append("\n**Left over:** ").append(cell(String.join("; ", p.leftovers()))).append("\n");
    }
    return md.toString();
  }

  /** The ways to decide a pending reboot: the CLI, and the signal the Web UI can send. */
  static String howToApprove(String workflowId) {
    return "**A reboot waits for your approval.** Approve with `onramp approve "
        + workflowId
        + "` (reject: `onramp reject "
        + workflowId
        + " --reason \"...\"`), or here in the Web UI: **Send a Signal** named `"
        + DECISION_SIGNAL
        + "` with input `{\"approved\": true, \"by\": \"your name\"}` (reject: `{\"approved\":"
        + " false, \"by\": \"your name\", \"reason\": \"why\"}`).";
  }

  /** Sets the run's current details; not a command, so safe to call at any step change. */
  static void publish(String markdown) {
    Workflow.setCurrentDetails(markdown);
  }

  /** A table cell: one line, pipes escaped. */
  private static String cell(String text) {
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
  }

  private static String mark(StepState state) {
    return switch (state) {
      case PENDING -> "·";
      case RUNNING -> "▶";
      case WAITING -> "⏳";
      case DONE -> "✔";
      case SKIPPED -> "↷";
      case FAILED -> "✘";
      case CANCELLED -> "■";
    };
  }
}
