package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.workflows.EgressCidrGuard;
import java.net.URI;
import java.time.Duration;

/** AWS: credentials come from the SDK's default chain; an endpoint only for the sandbox. */
public class AwsConfig {
  /** Empty for real AWS; the emulator's URL for the sandbox. */
  @JsonProperty public String endpoint;

  @JsonProperty public int maxAttempts = 8;
  @JsonProperty public long apiCallTimeoutSeconds = 60;

  /**
   * The broadest Materialize egress ranges onramp opens PostgreSQL's port to: IPv4 prefixes shorter
   * than this are refused (0.0.0.0/0 always is).
   */
  @JsonProperty public int egressMinIpv4Prefix = EgressCidrGuard.DEFAULT.minIpv4Prefix();

  /** The same for IPv6 (::/0 always refused). */
  @JsonProperty public int egressMinIpv6Prefix = EgressCidrGuard.DEFAULT.minIpv6Prefix();

  public EgressCidrGuard egressGuard() {
    return new EgressCidrGuard(egressMinIpv4Prefix, egressMinIpv6Prefix);
  }

  public AwsSettings toSettings() {
    return new AwsSettings(
        endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        Duration.ofSeconds(apiCallTimeoutSeconds),
        maxAttempts);
  }
}
