package dev.onramp.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.Severity;
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
 * {@link NotifyActivities} over a {@link Webhook}. Deduplication: the findings already told, per
 * target, are kept in this worker's memory (a finding's identity is its severity, resource and
 * problem with numbers left out, so "retains 812 MB" and "retains 905 MB" are one finding). A
 * finding that is gone from a run is forgotten, so it is told again if it returns. A worker restart
 * forgets everything: each open finding is told once more. A failed post throws, and the activity's
 * retry policy (bounded by the verification's check bound) tries again; nothing is marked told
 * until its post succeeded.
 */
public final class NotifyActivitiesImpl implements NotifyActivities {
  private static final Logger log = LoggerFactory.getLogger(NotifyActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Webhook webhook;
  private final HttpClient http;
  private final Map<String, Set<String>> told = new ConcurrentHashMap<>();

  public NotifyActivitiesImpl(Webhook webhook) {
    this.webhook = webhook;
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
    int sent = 0;
    for (Finding f : worth) {
      String id = identity(f);
      if (before.contains(id)) {
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
