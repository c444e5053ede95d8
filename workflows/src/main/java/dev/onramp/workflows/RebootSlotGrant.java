package dev.onramp.workflows;

/**
 * A reboot slot for the onboarding it is signalled to ({@link RebootSlotHolder#GRANT}): from the
 * fleet {@code fleetId} itself, or handed over by the onboarding {@code grantedBy} that held it
 * before. {@code token} names this grant, so a successor named for it ({@link RebootSlotSuccessor})
 * is never applied to another.
 */
public record RebootSlotGrant(String fleetId, int token, String grantedBy) {}
