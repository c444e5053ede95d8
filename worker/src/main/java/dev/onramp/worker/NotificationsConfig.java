package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.activities.notify.Webhook;

/**
 * {@code notifications.webhook}: {@code url} (http or https; Slack incoming webhooks take the JSON
 * as is), and an optional {@code headerName} / {@code headerValue} sent with each post (a secret:
 * give it from the environment, e.g. {@code headerValue: ${ONRAMP_WEBHOOK_TOKEN}}).
 */
public class NotificationsConfig {
  @JsonProperty public WebhookConfig webhook = new WebhookConfig();

  public static class WebhookConfig {
    @JsonProperty public String url;
    @JsonProperty public String headerName;
    @JsonProperty public String headerValue;
  }

  /** The webhook; a URL that is not http(s) stops the worker's start, naming the value. */
  public Webhook webhook() {
    return Webhook.of(webhook.url, webhook.headerName, webhook.headerValue);
  }
}
