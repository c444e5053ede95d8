package dev.onramp.workflows;

/**
 * An onboarding in a fleet asks the fleet for one reboot slot before it reboots {@code
 * dbInstanceId} in {@code region}; {@code onboardingId} is the asking run's workflow id, where the
 * grant is signalled.
 */
public record RebootSlotRequest(String onboardingId, String region, String dbInstanceId) {}
