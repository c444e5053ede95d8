package dev.onramp.e2e;

import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.notify.Webhook;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.worker.ProductionActivities;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.worker.core.TestFaultPoints;
import dev.onramp.workflows.OnboardingWorkflowImpl;
import dev.onramp.workflows.VerificationWorkflowImpl;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.testing.WorkflowReplayer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A worker in its own JVM, so a test can kill it with SIGKILL mid-onboarding. Arguments: Temporal
 * address, task queue, AWS endpoint, Materialize host, port, user, SSL mode, Materialize CA (or
 * empty), the upstream CA (the emulator's); the Materialize password comes from the environment
 * (MZ_PASSWORD), as in production. Both connections verify the server (verify-full).
 */
public final class WorkerProcess {
  /**
   * Last argument of a warm worker: it connects and builds its activities, then reads one line
   * {@code go [ONRAMP_TEST_FAULT_POINT value]} from standard input before it polls; the value
   * stands for the variable a worker started at that moment would have had.
   */
  static final String AWAIT_GO = "--await-go";

  /** The AWS SDK's API call timeout in ms (default 30 s): the fault storms make it short. */
  static final String AWS_CALL_TIMEOUT_MS = "ONRAMP_E2E_AWS_CALL_TIMEOUT_MS";

  /**
   * Replays the run's history so far, as the worker will have to once it polls: the classes are
   * loaded and the code warmed before the worker takes over from the one that died (a cold JVM
   * replaying a long history on a busy machine trips the SDK's one-second deadlock detector).
   */
  private static void warmUp(TemporalConnection temporal, String workflowId) {
    try {
      WorkflowReplayer.replayWorkflowExecution(
          temporal.client().fetchHistory(workflowId),
          OnboardingWorkflowImpl.class,
          VerificationWorkflowImpl.class);
    } catch (Exception notWarm) {
      System.out.println("warm-up replay: " + notWarm);
    }
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("aws.accessKeyId", "e2e");
    System.setProperty("aws.secretAccessKey", "e2e");
    TemporalConnection temporal = TemporalConnection.open(args[0], "default", null, false, null);
    ProductionActivities activities =
        new ProductionActivities(
            new AwsSettings(
                URI.create(args[2]),
                Duration.ofMillis(
                    Long.parseLong(System.getenv().getOrDefault(AWS_CALL_TIMEOUT_MS, "30000"))),
                8),
            new MaterializeSettings(
                args[3],
                Integer.parseInt(args[4]),
                args[5],
                System.getenv("MZ_PASSWORD"),
                "materialize",
                args[6],
                args[7].isEmpty() ? null : args[7]),
            new PgTls("verify-full", args[8]),
            Map.of(),
            temporal.client(),
            args[1]);
    String webhook = System.getenv("ONRAMP_WEBHOOK_URL");
    if (webhook != null && !webhook.isEmpty()) {
      activities.notifying(Webhook.of(webhook, null, null));
    }
    Map<String, String> environment = System.getenv();
    if (args.length > 9 && args[9].equals(AWAIT_GO)) {
      if (args.length > 10) {
        warmUp(temporal, args[10]);
      }
      System.out.println("worker warm");
      System.out.flush();
      String go =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (go == null || !go.startsWith("go")) {
        return;
      }
      String faults = go.substring(2).trim();
      environment = faults.isEmpty() ? Map.of() : Map.of(TestFaultPoints.ENV, faults);
    }
    TemporalWorker worker =
        new TemporalWorker(
            temporal.client(),
            args[1],
            activities.implementations(),
            Duration.ofSeconds(5),
            environment);
    worker.start();
    System.out.println("worker ready");
    System.out.flush();
    Thread.currentThread().join();
  }
}
