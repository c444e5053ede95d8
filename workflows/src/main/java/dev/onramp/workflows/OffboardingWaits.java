package dev.onramp.workflows;

import java.time.Duration;

/**
 * How an offboarding waits. {@code unreachableAfter} bounds every removal call: a system still
 * failing after it is reported unreachable and its part left over (with how to finish), so that one
 * system down does not hold up the others' removals. The AWS poll and approval settings are those
 * of the reboot that restores the parameter group, as in {@link WaitSettings}.
 */
public record OffboardingWaits(
    Duration unreachableAfter,
    Duration awsPollInterval,
    Duration awsMaxWait,
    Duration approvalTimeout) {

  public static OffboardingWaits defaults() {
    WaitSettings w = WaitSettings.defaults();
    return new OffboardingWaits(
        Duration.ofMinutes(2), w.awsPollInterval(), w.awsMaxWait(), w.approvalTimeout());
  }

  public OffboardingWaits withDefaults() {
    OffboardingWaits d = defaults();
    return new OffboardingWaits(
        unreachableAfter == null ? d.unreachableAfter : unreachableAfter,
        awsPollInterval == null ? d.awsPollInterval : awsPollInterval,
        awsMaxWait == null ? d.awsMaxWait : awsMaxWait,
        approvalTimeout == null ? d.approvalTimeout : approvalTimeout);
  }

  /** As the onboarding's wait settings, for the reboot gate and the RDS polls. */
  public WaitSettings asWaitSettings() {
    WaitSettings d = WaitSettings.defaults();
    return new WaitSettings(
        awsPollInterval,
        awsMaxWait,
        d.snapshotPollInterval(),
        d.snapshotMaxWait(),
        approvalTimeout,
        d.stalledGrace());
  }
}
