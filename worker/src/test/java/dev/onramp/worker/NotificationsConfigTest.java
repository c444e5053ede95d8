package dev.onramp.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NotificationsConfigTest {

  @Test
  void aWebhookUrlThatIsNotHttpStopsTheStartNamingTheValue() {
    NotificationsConfig config = new NotificationsConfig();
    config.webhook.url = "file:///etc/passwd";
    assertThatThrownBy(config::webhook)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notifications.webhook.url 'file:///etc/passwd'")
        .hasMessageContaining("http(s)");
  }

  @Test
  void noUrlMeansNoNotificationsAndTheHeaderSecretIsNeverPrinted() {
    assertThat(new NotificationsConfig().webhook().configured()).isFalse();
    NotificationsConfig config = new NotificationsConfig();
    config.webhook.url = "https://hooks.example.com/services/T0/B0";
    config.webhook.headerName = "Authorization";
    config.webhook.headerValue = "Bearer very-secret";
    assertThat(config.webhook().configured()).isTrue();
    assertThat(config.webhook().toString()).doesNotContain("very-secret");
  }
}
