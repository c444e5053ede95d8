package dev.onramp.workflows;

import java.time.Duration;

/**
 * How the workflow waits on slow things. AWS waits poll once per {@code awsPollInterval} (each poll
 * is an activity retry, so it adds no history events) for at most {@code awsMaxWait}; the snapshot
 * wait is bounded by {@code snapshotMaxWait}; an approval by {@code approvalTimeout}. Defaults
 * follow the AWS waiter (30 s between checks) and give a reboot three hours.
 */
public record WaitSettings(
    Duration awsPollInterval,
    Duration awsMaxWait,
    Duration snapshotPollInterval,
    Duration snapshotMaxWait,
    Duration approvalTimeout) {

  public static WaitSettings defaults() {
    return new WaitSettings(
        Duration.ofSeconds(30),
        Duration.ofHours(3),
        Duration.ofSeconds(5),
        Duration.ofHours(12),
        Duration.ofHours(24));
  }

  public WaitSettings withDefaults() {
    WaitSettings d = defaults();
    return new WaitSettings(
        awsPollInterval == null ? d.awsPollInterval : awsPollInterval,
        awsMaxWait == null ? d.awsMaxWait : awsMaxWait,
        snapshotPollInterval == null ? d.snapshotPollInterval : snapshotPollInterval,
        snapshotMaxWait == null ? d.snapshotMaxWait : snapshotMaxWait,
        approvalTimeout == null ? d.approvalTimeout : approvalTimeout);
  }
}
