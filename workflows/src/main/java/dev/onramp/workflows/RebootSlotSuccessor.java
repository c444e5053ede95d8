package dev.onramp.workflows;

/**
 * The fleet names who gets a slot next: when {@code holderId} (holding the grant {@code
 * holderToken}) is done rebooting, it signals {@code next} the slot itself, as grant {@code
 * nextToken}, and tells the fleet afterwards ({@link RebootSlotHandover}). The slot changes hands
 * without waiting for a workflow task of the fleet.
 */
public record RebootSlotSuccessor(
    String holderId, int holderToken, RebootSlotRequest next, int nextToken) {}
