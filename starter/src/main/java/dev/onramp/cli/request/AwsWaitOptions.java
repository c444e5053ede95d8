package dev.onramp.cli.request;

import dev.onramp.cli.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a run waits on AWS and on a person, for every command that starts one that may reboot
 * (onboarding, plan, offboarding with a parameter group to restore). Null: the request's default.
 */
public final class AwsWaitOptions {
  @Option(
      names = "--poll-interval",
      converter = Durations.class,
      description = "Time between AWS status checks, e.g. during a reboot (default 30s).")
  public Duration pollInterval;

  @Option(
      names = "--max-wait",
      converter = Durations.class,
      description = "Longest AWS wait, e.g. for a reboot (default 3h).")
  public Duration maxWait;

  @Option(
      names = "--approval-timeout",
      converter = Durations.class,
      description = "How long to wait for reboot approval (default 24h).")
  public Duration approvalTimeout;
}
