package dev.onramp.workflows;

/**
 * An onboarding in a fleet asks the fleet for one reboot slot before it reboots {@code
 * dbInstanceId} in {@code region}; {@code onboardingId} is the asking run's workflow id, where the
 * grant is signalled. {@code handsOver}: the run passes its slot straight to a successor the fleet
 * names ({@link RebootSlotSuccessor}); false in requests from runs before {@code
 * fleet-slot-handoff} (and in their JSON, which lacks the field).
 */
public record RebootSlotRequest(
    String onboardingId, String region, String dbInstanceId, boolean handsOver) {}
