package dev.onramp.activities.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where notifications go: an http(s) URL taking Slack-compatible JSON ({@code {"text": ...}}), and
 * an optional header (e.g. {@code Authorization}) whose value is a secret: it is sent, never logged
 * and never part of a message.
 */
public record Webhook(URI url, String headerName, String headerValue) {

  /** No webhook: notifications are dropped (logged at debug). */
  public static final Webhook NONE = new Webhook(null, null, null);

  /**
   * The worker's {@code notifications.webhook} settings; a URL that is not http(s) is refused,
   * naming the value, so the worker does not start with notifications that cannot arrive.
   */
  public static Webhook of(String url, String headerName, String headerValue) {
    if (url == null || url.isBlank()) {
      return NONE;
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "notifications.webhook.url '" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "notifications.webhook.url '"
              + url
              + "' is not an http(s) URL; give the webhook's https://... address");
    }
    if ((headerName == null || headerName.isBlank())
        != (headerValue == null || headerValue.isEmpty())) {
      throw new IllegalArgumentException(
          "notifications.webhook: give both headerName and headerValue, or neither");
    }
    return new Webhook(uri, headerName, headerValue);
  }

  public boolean configured() {
    return url != null;
  }

  @Override
  public String toString() {
    // The header's value is a secret.
    return "Webhook[" + url + (headerName == null ? "" : ", header " + headerName) + "]";
  }
}
