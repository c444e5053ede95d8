package dev.onramp.activities.aws;

import java.net.URI;
import java.time.Duration;

/**
 * How the worker reaches AWS. {@code endpoint} is set only for the sandbox emulator (or a VPC
 * endpoint); credentials always come from the SDK's default chain (environment, profile, IMDS).
 */
public record AwsSettings(URI endpoint, Duration apiCallTimeout, int maxAttempts) {

  public static AwsSettings defaults() {
    return new AwsSettings(null, Duration.ofSeconds(60), 8);
  }
}
