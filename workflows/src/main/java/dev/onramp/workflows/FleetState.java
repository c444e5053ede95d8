package dev.onramp.workflows;

import java.util.List;
import java.util.Map;

/**
 * What a fleet run passes to the next when it continues as new: the summary rows, how many
 * databases have been started, whether it is paused, and its reboot slots (held, asked for, the
 * successors named and the grants' tokens).
 */
public record FleetState(
    List<FleetMember> members,
    int started,
    boolean paused,
    List<RebootSlotRequest> slotHolders,
    List<RebootSlotRequest> slotQueue,
    int run,
    List<RebootSlotSuccessor> slotSuccessors,
    Map<String, Integer> slotTokens,
    int lastSlotToken) {

  /** State from runs before {@code fleet-slot-handoff} has no successors and no tokens. */
  public FleetState {
    slotSuccessors = slotSuccessors == null ? List.of() : slotSuccessors;
    slotTokens = slotTokens == null ? Map.of() : slotTokens;
  }
}
