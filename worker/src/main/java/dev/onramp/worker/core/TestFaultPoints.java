package dev.onramp.worker.core;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Test only: the worker halts its JVM at a chosen point of a chosen activity, as SIGKILL would, so
 * the proof suites (e2e {@code proof/}) can show that every activity survives a dead worker. Turned
 * on by the environment variable {@value #ENV} = {@code <ActivityType>:<before|during|after>[@ms]}
 * (comma-separated for several); without it nothing is registered and the worker's code path is the
 * production one.
 *
 * <ul>
 *   <li>{@code before}: the activity task was received (the attempt is started on the server) and
 *       the body has not run.
 *   <li>{@code during}: the body runs; a timer halts the JVM {@code ms} (default 20) after it
 *       started. If the body returns (or throws) first, the halt happens right then, before the
 *       result is reported, and the line says so: the suite records what actually happened.
 *   <li>{@code after}: the body returned (or threw); the SDK has not reported the outcome.
 * </ul>
 *
 * Each halt first prints one line starting with {@value #MARK} to stdout, so the suite can check
 * that the cell really fired, where. The exit status is 137, what a shell reports for SIGKILL; for
 * Temporal both look the same: the attempt's outcome is never reported.
 */
public final class TestFaultPoints {
  public static final String ENV = "ONRAMP_TEST_FAULT_POINT";
  public static final String MARK = "onramp-test-fault:";
  public static final int EXIT_STATUS = 137;

  /** In a halt line: the attempt was a local activity's. */
  public static final String LOCAL_ACTIVITY = "local activity";

  /** Where in an activity's attempt the worker dies. */
  public enum Point {
    BEFORE,
    DURING,
    AFTER
  }

  /** One fault point: an activity type (as Temporal names it) and where. */
  public record Cell(String activityType, Point point, long duringMillis) {
    public static Cell parse(String text) {
      String[] typeAndRest = text.trim().split(":", 2);
      if (typeAndRest.length != 2 || typeAndRest[0].isBlank()) {
        throw new IllegalArgumentException(
            ENV + ": '" + text + "' is not <ActivityType>:<before|during|after>[@ms]");
      }
      String[] pointAndMillis = typeAndRest[1].split("@", 2);
      Point point;
      try {
        point = Point.valueOf(pointAndMillis[0].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            ENV
                + ": point '"
                + pointAndMillis[0]
                + "' in '"
                + text
                + "' is not before|during|after");
      }
      long millis = pointAndMillis.length == 2 ? Long.parseLong(pointAndMillis[1].trim()) : 20;
      return new Cell(typeAndRest[0].trim(), point, millis);
    }

    @Override
    public String toString() {
      return activityType + ":" + point.name().toLowerCase(Locale.ROOT);
    }
  }

  /** What halting does: {@code Runtime.halt} in a worker, something observable in a unit test. */
  public interface Halt {
    void halt(String line);
  }

  static final Halt RUNTIME_HALT =
      line -> {
        System.out.println(line);
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_STATUS);
      };

  private final List<Cell> cells;
  private final Halt halt;
  private final AtomicBoolean fired = new AtomicBoolean();

  TestFaultPoints(List<Cell> cells, Halt halt) {
    this.cells = List.copyOf(cells);
    this.halt = halt;
  }

  /** The fault points the variable asks for; empty (nothing registered) when it is unset. */
  public static Optional<TestFaultPoints> fromEnvironment(Map<String, String> env) {
    return parse(env.get(ENV), RUNTIME_HALT);
  }

  static Optional<TestFaultPoints> parse(String value, Halt halt) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    List<Cell> cells = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        cells.add(Cell.parse(part));
      }
    }
    return Optional.of(new TestFaultPoints(cells, halt));
  }

  public List<Cell> cells() {
    return cells;
  }

  /** The interceptor to register with the worker factory. */
  public WorkerInterceptor interceptor() {
    return new WorkerInterceptorBase() {
      @Override
      public ActivityInboundCallsInterceptor interceptActivity(
          ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
          private String type;
          private int attempt;
          private boolean local;

          @Override
          public void init(ActivityExecutionContext context) {
            type = context.getInfo().getActivityType();
            attempt = context.getInfo().getAttempt();
            local = context.getInfo().isLocal();
            super.init(context);
          }

          @Override
          public ActivityOutput execute(ActivityInput input) {
            return around(type, attempt, local, () -> super.execute(input));
          }
        };
      }
    };
  }

  /** Runs one attempt of {@code activityType}'s body, halting where a cell says. */
  <T> T around(String activityType, int attempt, Supplier<T> body) {
    return around(activityType, attempt, false, body);
  }

  /**
   * As above; {@code local}: the attempt is a local activity's (run inside the workflow task, so a
   * halt loses that task and the next worker runs the activity again from its start). The line says
   * so, for the suite: no attempt of it exists on the server to fail.
   */
  <T> T around(String activityType, int attempt, boolean local, Supplier<T> body) {
    Cell cell =
        cells.stream().filter(c -> c.activityType().equals(activityType)).findFirst().orElse(null);
    // Only the first attempt that meets a cell halts (the worker dies with it, so this matters
    // only to a unit test that does not really halt).
    if (cell == null || fired.get()) {
      return body.get();
    }
    String where = " " + cell + " (attempt " + attempt + (local ? ", " + LOCAL_ACTIVITY : "") + ")";
    switch (cell.point()) {
      case BEFORE -> {
        fired.set(true);
        halt.halt(MARK + where + " halted before the body ran");
        return body.get();
      }
      case AFTER -> {
        try {
          return body.get();
        } finally {
          fired.set(true);
          halt.halt(MARK + where + " halted after the body ended, before the outcome was reported");
        }
      }
      default -> {
        return during(cell, where, body);
      }
    }
  }

  private <T> T during(Cell cell, String where, Supplier<T> body) {
    final int running = 0;
    final int timerFired = 1;
    final int bodyEnded = 2;
    AtomicInteger state = new AtomicInteger(running);
    long started = System.nanoTime();
    Thread timer =
        new Thread(
            () -> {
              try {
                Thread.sleep(cell.duringMillis());
              } catch (InterruptedException e) {
                return;
              }
              if (state.compareAndSet(running, timerFired)) {
                fired.set(true);
                halt.halt(
                    MARK
                        + where
                        + " halted while the body ran ("
                        + cell.duringMillis()
                        + " ms after it started)");
              }
            },
            "onramp-test-fault-timer");
    timer.setDaemon(true);
    timer.start();
    try {
      return body.get();
    } finally {
      if (state.compareAndSet(running, bodyEnded)) {
        timer.interrupt();
        fired.set(true);
        halt.halt(
            MARK
                + where
                + " body ended after "
                + (System.nanoTime() - started) / 1_000_000
                + " ms, before the "
                + cell.duringMillis()
                + " ms timer: halted after the body ended, before the outcome was reported");
      }
    }
  }
}
