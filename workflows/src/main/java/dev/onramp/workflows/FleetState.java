package dev.onramp.workflows;

import java.util.List;

/**
 * What a fleet run passes to the next when it continues as new: the summary rows, how many
 * databases have been started, whether it is paused, and its reboot slots (held and asked for).
 */
public record FleetState(
    List<FleetMember> members,
    int started,
    boolean paused,
    List<RebootSlotRequest> slotHolders,
    List<RebootSlotRequest> slotQueue,
    int run) {}
