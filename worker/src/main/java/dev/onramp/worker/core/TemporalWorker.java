package dev.onramp.worker.core;

import dev.onramp.workflows.FleetMemberWorkflowImpl;
import dev.onramp.workflows.FleetWorkflowImpl;
import dev.onramp.workflows.OffboardingWorkflowImpl;
import dev.onramp.workflows.OnboardingWorkflowImpl;
import dev.onramp.workflows.PlanWorkflowImpl;
import dev.onramp.workflows.VerificationWorkflowImpl;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal worker as a Dropwizard {@link Managed}: started once the configuration is valid; on
 * stop it stops polling and lets running activities finish (up to {@code drainTimeout}).
 */
public final class TemporalWorker implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalWorker.class);
  private final WorkerFactory factory;
  private final String taskQueue;
  private final Duration drainTimeout;

  public TemporalWorker(
      WorkflowClient client, String taskQueue, List<Object> activities, Duration drainTimeout) {
    this(client, taskQueue, activities, drainTimeout, System.getenv());
  }

  /**
   * With the environment the worker reads ({@value TestFaultPoints#ENV} only): the e2e suites'
   * pre-started workers pass the value they are given when told to poll.
   */
  public TemporalWorker(
      WorkflowClient client,
      String taskQueue,
      List<Object> activities,
      Duration drainTimeout,
      Map<String, String> environment) {
    this.factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(interceptors(environment))
                .build());
    this.taskQueue = taskQueue;
    this.drainTimeout = drainTimeout;
    Worker worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(
        OnboardingWorkflowImpl.class,
        VerificationWorkflowImpl.class,
        PlanWorkflowImpl.class,
        OffboardingWorkflowImpl.class,
        dev.onramp.workflows.TableChangeWorkflowImpl.class,
        FleetWorkflowImpl.class,
        FleetMemberWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities.toArray());
  }

  /**
   * The worker's interceptors: the workflow id in the logging MDC, and only when the test-only
   * variable {@value TestFaultPoints#ENV} is set, the proof suites' fault points.
   */
  static WorkerInterceptor[] interceptors(Map<String, String> env) {
    List<WorkerInterceptor> all = new ArrayList<>(List.of(new WorkflowIdLogging()));
    TestFaultPoints.fromEnvironment(env)
        .ifPresent(
            f -> {
              log.warn(
                  "{} is set: this worker halts at {} (test only)", TestFaultPoints.ENV, f.cells());
              all.add(f.interceptor());
            });
    return all.toArray(WorkerInterceptor[]::new);
  }

  @Override
  public void start() {
    factory.start();
    log.info("polling task queue {}", taskQueue);
  }

  @Override
  public void stop() {
    log.info("stopping: draining running activities for up to {}", drainTimeout);
    factory.shutdown();
    factory.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
