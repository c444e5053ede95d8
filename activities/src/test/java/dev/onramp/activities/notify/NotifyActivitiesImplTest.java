package dev.onramp.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook against a local HTTP receiver: one message per new finding, never the secret. */
class NotifyActivitiesImplTest {
  private static final String SECRET = "s3cr3t-token-value";
  private HttpServer receiver;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> headers = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
          if (status == 200) {
            bodies.add(body);
            headers.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Token")));
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private Webhook webhook() {
    return Webhook.of(
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "X-Token", SECRET);
  }

  private static Finding slot(long mb) {
    return new Finding(
        Severity.WARNING,
        ResourceKind.MZ_SOURCE,
        "materialize_abc",
        "replication slot materialize_abc retains " + mb + " MB of WAL",
        "make sure the source is running");
  }

  private static final Finding GRANT =
      new Finding(
          Severity.CRITICAL,
          ResourceKind.GRANTS,
          "materialize on shop",
          "SELECT on public.orders was revoked",
          "GRANT SELECT ON public.orders TO materialize;");

  private static final Finding INFO =
      new Finding(Severity.INFO, ResourceKind.MZ_CLUSTER, "c", "cluster is idle", "nothing");

  @Test
  void oneMessagePerNewFindingAcrossRunsAndNoneCarriesTheSecret() {
    NotifyActivitiesImpl notifier = new NotifyActivitiesImpl(webhook());
    String target = "us-east-1/db-1/shop";

    assertThat(
            notifier.notifyFindings(
                new FindingsNotice(target, "WARNING", List.of(slot(812), INFO))))
        .isEqualTo(1);
    // The same finding again (its number changed): not told again.
    assertThat(
            notifier.notifyFindings(
                new FindingsNotice(target, "CRITICAL", List.of(slot(905), GRANT))))
        .isEqualTo(1);
    assertThat(
            notifier.notifyFindings(
                new FindingsNotice(target, "CRITICAL", List.of(slot(990), GRANT))))
        .isZero();
    // Healed, then back: told again.
    assertThat(notifier.notifyFindings(new FindingsNotice(target, "HEALTHY", List.of()))).isZero();
    assertThat(notifier.notifyFindings(new FindingsNotice(target, "CRITICAL", List.of(GRANT))))
        .isEqualTo(1);

    assertThat(bodies).hasSize(3);
    assertThat(bodies.get(0))
        .startsWith("{\"text\":")
        .contains("WARNING on us-east-1/db-1/shop")
        .contains("retains 812 MB")
        .contains("fix: make sure the source is running");
    assertThat(bodies.get(1))
        .contains("SELECT on public.orders was revoked")
        .contains("GRANT SELECT");
    assertThat(bodies).noneSatisfy(b -> assertThat(b).contains(SECRET));
    assertThat(headers).containsOnly(SECRET); // sent as the header, only there
    assertThat(webhook().toString()).doesNotContain(SECRET);
  }

  /**
   * Two worker instances (a deploy between runs), each with its own memory, reading the previous
   * run's findings as Temporal keeps them (here: the runs' reports in order): one message per new
   * finding across both, the open one never told twice.
   */
  @Test
  void acrossTwoWorkerInstancesEachNewFindingIsToldOnce() {
    String target = "us-east-1/db-1/shop";
    List<List<Finding>> runs = new CopyOnWriteArrayList<>();
    PreviousFindings history =
        (t, current) ->
            runs.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(runs.get(runs.size() - 1));

    NotifyActivitiesImpl first = new NotifyActivitiesImpl(webhook(), history);
    List<Finding> run1 = List.of(slot(812));
    assertThat(first.notifyFindings(new FindingsNotice(target, "WARNING", run1))).isEqualTo(1);
    runs.add(run1);

    NotifyActivitiesImpl second = new NotifyActivitiesImpl(webhook(), history); // new memory
    List<Finding> run2 = List.of(slot(905), GRANT);
    assertThat(second.notifyFindings(new FindingsNotice(target, "CRITICAL", run2)))
        .as("only the grant is new")
        .isEqualTo(1);
    runs.add(run2);
    List<Finding> run3 = List.of(slot(990), GRANT);
    assertThat(
            new NotifyActivitiesImpl(webhook(), history)
                .notifyFindings(new FindingsNotice(target, "CRITICAL", run3)))
        .isZero();
    runs.add(run3);

    // Without a readable history (a server without visibility) memory alone decides.
    NotifyActivitiesImpl blind =
        new NotifyActivitiesImpl(
            webhook(),
            (t, current) -> {
              throw new IllegalStateException("visibility not available");
            });
    assertThat(blind.notifyFindings(new FindingsNotice(target, "CRITICAL", run3))).isEqualTo(2);

    assertThat(bodies).hasSize(4);
    assertThat(bodies.get(0)).contains("retains 812 MB");
    assertThat(bodies.get(1)).contains("SELECT on public.orders was revoked");
  }

  @Test
  void aFailedPostThrowsForTheRetryAndIsNotMarkedTold() {
    NotifyActivitiesImpl notifier = new NotifyActivitiesImpl(webhook());
    failNext.set(1);
    FindingsNotice notice = new FindingsNotice("us-east-1/db-1/shop", "CRITICAL", List.of(GRANT));
    assertThatThrownBy(() -> notifier.notifyFindings(notice))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("HTTP 503");
    assertThat(notifier.notifyFindings(notice)).isEqualTo(1); // the retry
    assertThat(bodies).hasSize(1);
  }

  @Test
  void aWebhookUrlThatIsNotHttpIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> Webhook.of("ftp://hooks.example.com/x", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://hooks.example.com/x'")
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> Webhook.of("hooks.example.com/x", null, null))
        .hasMessageContaining("'hooks.example.com/x'");
    assertThat(Webhook.of("", null, null).configured()).isFalse();
    assertThat(
            new NotifyActivitiesImpl(Webhook.NONE)
                .notifyFindings(new FindingsNotice("t", "CRITICAL", List.of(GRANT))))
        .isZero();
  }
}
