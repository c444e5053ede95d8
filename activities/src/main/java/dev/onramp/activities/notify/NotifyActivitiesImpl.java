package dev.onramp.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.Severity;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NotifyActivities} over a {@link Webhook}. Deduplication: a finding is told when it is new
 * relative to the target's previous re-verification run, read back from Temporal ({@link
 * PreviousVerification}: that run's result or DriftFound details), so a worker restart or another
 * worker does not tell open findings again; and, for runs that follow each other faster than the
 * visibility store lists them, relative to what this worker told (in memory). A finding's identity
 * is its severity, resource and problem with numbers left out, so "retains 812 MB" and "retains 905
 * MB" are one finding. A finding that is gone from a run is forgotten, so it is told again if it
 * returns. A failed post throws, and the activity's retry policy (bounded by the verification's
 * check bound) tries again; nothing is marked told until its post succeeded. What is not covered: a
 * finding whose post failed for the whole bound is in the run's report all the same, so the next
 * run does not tell it (the run's search attribute and report still show it).
 */
public final class NotifyActivitiesImpl implements NotifyActivities {
  private static final Logger log = LoggerFactory.getLogger(NotifyActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Webhook webhook;
  private final HttpClient http;
  private final Map<String, Set<String>> told = new ConcurrentHashMap<>();
  private final PreviousFindings previous;

  /** Deduplicates in this worker's memory only (no Temporal client: tests, the demo). */
  public NotifyActivitiesImpl(Webhook webhook) {
    this(webhook, null);
  }

  /** Deduplicates against the previous run's findings, read through {@code previous}. */
  public NotifyActivitiesImpl(Webhook webhook, PreviousFindings previous) {
    this.webhook = webhook;
    this.previous = previous;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  static String identity(Finding f) {
    return f.severity()
        + "|"
        + f.kind()
        + "|"
        + f.identifier()
        + "|"
        + f.problem().replaceAll("\\d+", "#");
  }

  @Override
  public int notifyFindings(FindingsNotice notice) {
    Set<String> now = new HashSet<>();
    List<Finding> worth =
        notice.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
    worth.forEach(f -> now.add(identity(f)));
    Set<String> before = told.computeIfAbsent(notice.target(), t -> ConcurrentHashMap.newKeySet());
    before.retainAll(now); // gone findings are forgotten
    Set<String> lastRun =
        worth.isEmpty() || !webhook.configured() ? Set.of() : toldByLastRun(notice.target());
    int sent = 0;
    for (Finding f : worth) {
      String id = identity(f);
      if (before.contains(id) || lastRun.contains(id)) {
        before.add(id);
        continue;
      }
      if (!webhook.configured()) {
        log.debug("no webhook configured; not telling {}", id);
        continue;
      }
      post(text(notice.target(), f));
      before.add(id);
      sent++;
    }
    return sent;
  }

  /**
   * The identities of the findings of the target's previous run, which were told then (or by the
   * run before, and so on). Empty when there is no previous run, or when Temporal cannot list runs
   * (a server without visibility): then this worker's memory alone decides.
   */
  private Set<String> toldByLastRun(String target) {
    if (previous == null) {
      return Set.of();
    }
    String currentRun = null;
    try {
      currentRun = Activity.getExecutionContext().getInfo().getRunId();
    } catch (IllegalStateException notInAnActivity) {
      // called directly (a test): every closed run is a previous one
    }
    try {
      Set<String> out = new HashSet<>();
      previous
          .findings(target, currentRun)
          .ifPresent(list -> list.forEach(f -> out.add(identity(f))));
      return out;
    } catch (RuntimeException e) {
      log.warn(
          "could not read the previous verification of {} ({}); deduplicating in memory only",
          target,
          e.toString());
      return Set.of();
    }
  }

  static String text(String target, Finding f) {
    return "onramp: "
        + f.severity()
        + " on "
        + target
        + "\n"
        + f.kind()
        + " "
        + f.identifier()
        + ": "
        + f.problem()
        + "\nfix: "
        + f.fix();
  }

  /** POST {"text": ...}; anything but 2xx is a failure the activity retries. */
  void post(String text) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json");
    if (webhook.headerName() != null) {
      request.header(webhook.headerName(), webhook.headerValue());
    }
    try {
      String body = JSON.writeValueAsString(Map.of("text", text));
      HttpResponse<Void> response =
          http.send(
              request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        throw ApplicationFailure.newFailure(
            "webhook " + webhook.url() + " answered HTTP " + response.statusCode(),
            "WEBHOOK_FAILED");
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "webhook " + webhook.url() + " not reached: " + e.getMessage(), "WEBHOOK_FAILED");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted posting to the webhook", "WEBHOOK_FAILED");
    }
  }

  @Override
  public void notifyPerson(PersonNotice notice) {
    Set<String> keys = told.computeIfAbsent("", t -> ConcurrentHashMap.newKeySet());
    if (!webhook.configured() || keys.contains(notice.key())) {
      return;
    }
    post(notice.text());
    keys.add(notice.key());
  }
}
