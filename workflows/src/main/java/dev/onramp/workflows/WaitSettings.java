package dev.onramp.workflows;

import java.time.Duration;

/**
 * How the workflow waits on slow things. AWS waits poll once per {@code awsPollInterval} (each poll
 * is an activity retry, so it adds no history events) for at most {@code awsMaxWait}; the snapshot
 * wait is bounded by {@code snapshotMaxWait}; an approval by {@code approvalTimeout}. A source that
 * reports {@code stalled} fails the snapshot wait only once it has stayed stalled for {@code
 * stalledGrace}: Materialize sources recover from transient upstream trouble on their own. Defaults
 * follow the AWS waiter (30 s between checks) and give a reboot three hours.
 */
public record WaitSettings(
    Duration awsPollInterval,
    Duration awsMaxWait,
    Duration snapshotPollInterval,
    Duration snapshotMaxWait,
    Duration approvalTimeout,
    Duration stalledGrace) {

  /** Without a stalled grace period (the default applies after {@link #withDefaults()}). */
  public WaitSettings(
      Duration awsPollInterval,
      Duration awsMaxWait,
      Duration snapshotPollInterval,
      Duration snapshotMaxWait,
      Duration approvalTimeout) {
    this(awsPollInterval, awsMaxWait, snapshotPollInterval, snapshotMaxWait, approvalTimeout, null);
  }

  public static WaitSettings defaults() {
    return new WaitSettings(
        Duration.ofSeconds(30),
        Duration.ofHours(3),
        Duration.ofSeconds(5),
        Duration.ofHours(12),
        Duration.ofHours(24),
        Duration.ofMinutes(5));
  }

  public WaitSettings withDefaults() {
    WaitSettings d = defaults();
    return new WaitSettings(
        awsPollInterval == null ? d.awsPollInterval : awsPollInterval,
        awsMaxWait == null ? d.awsMaxWait : awsMaxWait,
        snapshotPollInterval == null ? d.snapshotPollInterval : snapshotPollInterval,
        snapshotMaxWait == null ? d.snapshotMaxWait : snapshotMaxWait,
        approvalTimeout == null ? d.approvalTimeout : approvalTimeout,
        stalledGrace == null ? d.stalledGrace : stalledGrace);
  }
}
