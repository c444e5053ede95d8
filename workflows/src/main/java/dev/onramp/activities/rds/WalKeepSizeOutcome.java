package dev.onramp.activities.rds;

/**
 * What {@link WalKeepSizeActivities#setMaxSlotWalKeepSize} did: in which group, whether it changed
 * the value (and from what: null when the group left it at the engine default), whether the group
 * is onramp's (when not, nothing was changed and {@code message} gives the command to run).
 */
public record WalKeepSizeOutcome(
    String parameterGroup, boolean ours, boolean changed, String previous, String message) {}
