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

  /**
   * A named profile of ~/.aws/config (an SSO profile after {@code aws sso login --profile ...}, a
   * role to assume, static keys); empty: the SDK's default chain (AWS_PROFILE, environment keys,
   * web identity, instance or task role).
   */
  @JsonProperty public String profile;

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

  /**
   * Makes {@link #profile} the one the SDK's default chain reads ({@code aws.profile} wins over
   * AWS_PROFILE), for every client the worker builds and its credentials health check.
   */
  public void selectProfile() {
    if (profile != null && !profile.isBlank()) {
      System.setProperty("aws.profile", profile.strip());
    }
  }

  public AwsSettings toSettings() {
    return new AwsSettings(
        endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        Duration.ofSeconds(apiCallTimeoutSeconds),
        maxAttempts);
  }
}
