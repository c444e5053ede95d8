package dev.onramp.e2e;

import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.worker.core.TestFaultPoints;
import io.temporal.activity.ActivityInterface;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ResetStickyTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Drives one workflow run to its end through a chain of worker deaths. Each worker is started with
 * a fault point for every activity type not killed yet in this run; it halts (exit 137) at the
 * first of them it meets, at the point {@code pointFor} gives that type. The chain checks the
 * worker really died there (exit status and the worker's fault line), fails the dead attempt by id
 * (see {@link #failDeadAttempt}) and starts the next worker, until the run closes. Every activity
 * type the run executes is thus killed once; {@link #typesRun} lets the suite check that.
 */
final class CrashChain {
  /**
   * One worker death: which cell, and what the worker said happened. {@code local}: the attempt was
   * a local activity's (the reads since {@code lean-history}), which the dead worker ran inside its
   * workflow task: the server knows no attempt of it, the task times out, and the next worker
   * replays the run and runs the read again from its start (its marker was never recorded).
   */
  record Kill(
      String cell,
      String activityType,
      String point,
      boolean midBody,
      String line,
      boolean local) {}

  /** Stands for the start-to-close timeout Temporal would apply to the attempt that died. */
  static final class WorkerDied extends RuntimeException {
    WorkerDied(String message) {
      super(message);
    }
  }

  static final List<String> POINTS = List.of("before", "during", "after");

  private final E2eEnvironment env;
  private final WorkflowClient client;
  private final String label;
  private final long duringMillis;
  final List<Kill> kills = new ArrayList<>();
  final List<Path> workerLogs = new ArrayList<>();

  CrashChain(E2eEnvironment env, String label, long duringMillis) {
    this.env = env;
    this.client = env.temporal.client();
    this.label = label;
    this.duringMillis = duringMillis;
  }

  /**
   * Every activity type a worker can run: the methods of every {@code @ActivityInterface} in the
   * activity interfaces' package tree (found on the class path, so interfaces and methods added
   * later are enumerated too), named as Temporal names them.
   */
  static Set<String> activityTypes() throws IOException, URISyntaxException {
    Path root =
        Path.of(RdsActivities.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> classNames;
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root.resolve("dev/onramp/activities"))) {
        classNames =
            files
                .map(p -> root.relativize(p).toString())
                .filter(n -> n.endsWith(".class") && !n.contains("$"))
                .collect(Collectors.toList());
      }
    } else {
      try (JarFile jar = new JarFile(root.toFile())) {
        classNames =
            jar.stream()
                .map(e -> e.getName())
                .filter(
                    n ->
                        n.startsWith("dev/onramp/activities/")
                            && n.endsWith(".class")
                            && !n.contains("$"))
                .collect(Collectors.toList());
      }
    }
    Set<String> types = new TreeSet<>();
    for (String n : classNames) {
      String className =
          n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.');
      try {
        Class<?> c = Class.forName(className);
        if (c.isInterface() && c.isAnnotationPresent(ActivityInterface.class)) {
          POJOActivityInterfaceMetadata.newInstance(c)
              .getMethodsMetadata()
              .forEach(m -> types.add(m.getActivityTypeName()));
        }
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return types;
  }

  /** Pass {@code pass}'s point for each type: over three passes every type meets all three. */
  static Map<String, String> pointsFor(Set<String> types, int pass) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(types));
    return sorted.stream()
        .collect(
            Collectors.toMap(t -> t, t -> POINTS.get((sorted.indexOf(t) + pass) % POINTS.size())));
  }

  /**
   * Runs workers until workflow {@code workflowId} closes; returns its status. The worker that runs
   * it to its end is stopped gracefully.
   */
  WorkflowExecutionStatus drive(String workflowId, Map<String, String> pointFor, Duration timeout)
      throws Exception {
    Set<String> killed = new LinkedHashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    Process spare = env.startWarmWorker(env.dir.resolve(label + "-worker-1.log"), workflowId);
    for (int n = 1; ; n++) {
      String faults =
          pointFor.entrySet().stream()
              .filter(e -> !killed.contains(e.getKey()))
              .map(e -> e.getKey() + ":" + e.getValue() + "@" + duringMillis)
              .collect(Collectors.joining(","));
      String name = label + "-worker-" + n;
      workerLogs.add(env.dir.resolve(name + ".log"));
      long startedAt = System.nanoTime();
      Process worker = spare;
      try (Writer go = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
        go.write("go " + faults + "\n");
      }
      E2eEnvironment.awaitReady(worker, env.dir.resolve(name + ".log"), name);
      long readyAt = System.nanoTime();
      // The next worker warms up while this one runs.
      spare =
          env.startWarmWorker(env.dir.resolve(label + "-worker-" + (n + 1) + ".log"), workflowId);
      while (true) {
        if (System.nanoTime() > deadline) {
          worker.destroyForcibly();
          throw new AssertionError(
              label + ": run " + workflowId + " did not close in " + timeout + "; kills: " + kills);
        }
        if (!worker.isAlive()) {
          Kill kill = killOf(worker, env.dir.resolve(name + ".log"));
          kills.add(kill);
          killed.add(kill.activityType());
          if (!kill.local()) {
            failDeadAttempt(workflowId, kill);
          }
          // For a local activity this sends the retried workflow task (after its task timeout) to
          // the task queue, where the next worker polls, instead of the dead worker's queue.
          resetSticky(workflowId);
          System.out.printf(
              "%s: worker %d up in %d ms, died after %d ms more: %s%n",
              label,
              n,
              (readyAt - startedAt) / 1_000_000,
              (System.nanoTime() - readyAt) / 1_000_000,
              kill.line());
          break;
        }
        WorkflowExecutionStatus status =
            describe(workflowId).getWorkflowExecutionInfo().getStatus();
        if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          worker.destroy();
          worker.waitFor();
          spare.destroy();
          spare.waitFor();
          return status;
        }
        Thread.sleep(100);
      }
    }
  }

  /** The worker's fault line: it must have exited 137 saying where. */
  private Kill killOf(Process worker, Path log) throws IOException {
    String text = Files.readString(log);
    String line =
        text.lines()
            .filter(l -> l.startsWith(TestFaultPoints.MARK))
            .reduce((a, b) -> b)
            .orElseThrow(
                () ->
                    new AssertionError(
                        label
                            + ": a worker died (exit "
                            + worker.exitValue()
                            + ") without a fault line:\n"
                            + text));
    if (worker.exitValue() != TestFaultPoints.EXIT_STATUS) {
      throw new AssertionError(label + ": worker exited " + worker.exitValue() + ": " + line);
    }
    // "onramp-test-fault: <Type>:<point> (attempt n) halted ..."
    String cell = line.substring(TestFaultPoints.MARK.length()).trim().split(" ", 2)[0];
    String[] typeAndPoint = cell.split(":", 2);
    boolean midBody = line.contains("halted while the body ran");
    boolean local = line.contains(", " + TestFaultPoints.LOCAL_ACTIVITY + ")");
    return new Kill(
        cell, typeAndPoint[0], typeAndPoint[1].toLowerCase(Locale.ROOT), midBody, line, local);
  }

  /**
   * The attempt that died stays "started" on the server until its start-to-close timeout (two
   * minutes for ordinary calls), after which Temporal retries it. To keep a chain of dozens of
   * deaths within minutes, the chain fails that attempt by id (RespondActivityTaskFailedById),
   * which is what the timeout does: the attempt ends as failed and the activity's retry policy
   * schedules the next attempt. The attempt's outcome was never reported, so the workflow cannot
   * tell.
   */
  private void failDeadAttempt(String workflowId, Kill kill) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      DescribeWorkflowExecutionResponse d = describe(workflowId);
      Optional<PendingActivityInfo> started =
          d.getPendingActivitiesList().stream()
              .filter(a -> a.getActivityType().getName().equals(kill.activityType()))
              .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
              .findFirst();
      if (started.isPresent()) {
        try {
          client
              .newActivityCompletionClient()
              .completeExceptionally(
                  workflowId,
                  Optional.of(d.getWorkflowExecutionInfo().getExecution().getRunId()),
                  started.get().getActivityId(),
                  new WorkerDied("the worker died at " + kill.cell() + " (crash matrix)"));
        } catch (RuntimeException raced) {
          // Timed out and retried meanwhile: the server already did what this stands for.
        }
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        label + ": no started " + kill.activityType() + " attempt to fail after the kill " + kill);
  }

  /**
   * The run's next workflow task would go to the dead worker's sticky queue and wait there for its
   * schedule-to-start timeout (5 s) before Temporal moves it to the task queue; a worker that shuts
   * down cleanly resets that itself (ResetStickyTaskQueue), a dead one cannot, so the chain does.
   * Only time is saved: the task runs on the task queue either way.
   */
  private void resetSticky(String workflowId) {
    client
        .getWorkflowServiceStubs()
        .blockingStub()
        .resetStickyTaskQueue(
            ResetStickyTaskQueueRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
  }

  private DescribeWorkflowExecutionResponse describe(String workflowId) {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
  }

  /**
   * The activity types the run's history schedules or records as local activities (one marker
   * each), in order of first appearance.
   */
  Set<String> typesRun(String workflowId) {
    Set<String> types = new LinkedHashSet<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        types.add(e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      }
      String local = localActivityType(e);
      if (local != null) {
        types.add(local);
      }
    }
    return types;
  }

  /** The type of a local activity's marker (its "type" detail, JSON without the codec), or null. */
  static String localActivityType(HistoryEvent e) {
    if (e.getEventType() != EventType.EVENT_TYPE_MARKER_RECORDED
        || !e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) {
      return null;
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
        0,
        Optional.of(e.getMarkerRecordedEventAttributes().getDetailsOrThrow("type")),
        String.class,
        String.class);
  }

  /** The run's history as JSON text, for the secret scan. */
  String historyText(String workflowId) {
    return client.fetchHistory(workflowId).toJson(true);
  }
}
