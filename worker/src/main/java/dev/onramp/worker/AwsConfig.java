package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.activities.aws.AwsSettings;
import java.net.URI;
import java.time.Duration;

/** AWS: credentials come from the SDK's default chain; an endpoint only for the sandbox. */
public class AwsConfig {
  /** Empty for real AWS; the emulator's URL for the sandbox. */
  @JsonProperty public String endpoint;

  @JsonProperty public int maxAttempts = 8;
  @JsonProperty public long apiCallTimeoutSeconds = 60;

  public AwsSettings toSettings() {
    return new AwsSettings(
        endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        Duration.ofSeconds(apiCallTimeoutSeconds),
        maxAttempts);
  }
}
