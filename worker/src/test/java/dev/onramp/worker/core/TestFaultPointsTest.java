package dev.onramp.worker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.worker.core.TestFaultPoints.Cell;
import dev.onramp.worker.core.TestFaultPoints.Point;
import io.temporal.common.interceptors.WorkerInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TestFaultPointsTest {
  /** Halting here records the line and stops the calling thread, as the real halt does. */
  static final class Halted extends RuntimeException {
    Halted(String line) {
      super(line);
    }
  }

  private final List<String> lines = new ArrayList<>();

  private TestFaultPoints points(String value) {
    return TestFaultPoints.parse(
            value,
            line -> {
              synchronized (lines) {
                lines.add(line);
              }
              if (!Thread.currentThread().getName().equals("onramp-test-fault-timer")) {
                throw new Halted(line);
              }
            })
        .orElseThrow();
  }

  @Test
  void withoutTheVariableTheWorkerRegistersOnlyTheProductionInterceptor() {
    WorkerInterceptor[] none = TemporalWorker.interceptors(Map.of());
    assertThat(none).hasSize(1).allMatch(i -> i instanceof WorkflowIdLogging);
    assertThat(TemporalWorker.interceptors(Map.of(TestFaultPoints.ENV, " "))).hasSize(1);
    assertThat(TestFaultPoints.fromEnvironment(Map.of())).isEmpty();
    assertThat(TemporalWorker.interceptors(Map.of(TestFaultPoints.ENV, "CreateSource:before")))
        .hasSize(2);
  }

  @Test
  void parsesCellsAndRefusesNonsense() {
    TestFaultPoints p = points("CreateSource:before, RebootInstance:DURING@150,X:after");
    assertThat(p.cells())
        .containsExactly(
            new Cell("CreateSource", Point.BEFORE, 20),
            new Cell("RebootInstance", Point.DURING, 150),
            new Cell("X", Point.AFTER, 20));
    assertThatThrownBy(() -> points("CreateSource")).hasMessageContaining(TestFaultPoints.ENV);
    assertThatThrownBy(() -> points("CreateSource:sometime"))
        .hasMessageContaining("before|during|after");
  }

  @Test
  void beforeHaltsWithoutRunningTheBody() {
    AtomicBoolean ran = new AtomicBoolean();
    TestFaultPoints p = points("A:before");
    assertThat(p.around("Other", 1, () -> "other ran")).isEqualTo("other ran");
    assertThatThrownBy(() -> p.around("A", 1, () -> ran.getAndSet(true)))
        .isInstanceOf(Halted.class)
        .hasMessageContaining("A:before (attempt 1) halted before the body ran");
    assertThat(ran).isFalse();
  }

  @Test
  void aLocalActivitysHaltSaysSoForTheSuite() {
    assertThatThrownBy(() -> points("A:before").around("A", 1, true, () -> "ran"))
        .hasMessageContaining(
            "A:before (attempt 1, " + TestFaultPoints.LOCAL_ACTIVITY + ") halted before");
  }

  @Test
  void afterHaltsOnceTheBodyEndedEvenWhenItThrew() {
    AtomicBoolean ran = new AtomicBoolean();
    assertThatThrownBy(() -> points("A:after").around("A", 3, () -> ran.getAndSet(true)))
        .hasMessageContaining("A:after (attempt 3) halted after the body ended");
    assertThat(ran).isTrue();
    assertThatThrownBy(
            () ->
                points("A:after")
                    .around(
                        "A",
                        1,
                        () -> {
                          throw new IllegalStateException("not yet");
                        }))
        .isInstanceOf(Halted.class);
  }

  @Test
  void duringHaltsWhileTheBodyRunsOrSaysItEndedFirst() throws Exception {
    CountDownLatch timerHalted = new CountDownLatch(1);
    TestFaultPoints slow = points("A:during@30");
    Thread body =
        new Thread(
            () ->
                slow.around(
                    "A",
                    1,
                    () -> {
                      long end = System.currentTimeMillis() + 2_000;
                      while (System.currentTimeMillis() < end) {
                        synchronized (lines) {
                          if (!lines.isEmpty()) {
                            timerHalted.countDown();
                            return null;
                          }
                        }
                      }
                      return null;
                    }));
    body.start();
    assertThat(timerHalted.await(5, TimeUnit.SECONDS)).isTrue();
    body.join();
    assertThat(lines).singleElement().asString().contains("halted while the body ran (30 ms");

    lines.clear();
    assertThatThrownBy(() -> points("B:during@5000").around("B", 1, () -> "quick"))
        .hasMessageContaining("before the 5000 ms timer: halted after the body ended");
  }
}
