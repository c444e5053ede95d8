package dev.onramp.workflows;

import java.util.List;
import java.util.Map;

/**
 * What a fleet's {@code progress} query returns: whether it is paused, how many databases are in
 * each state, which instances hold reboot slots, and the summary table (one row per database).
 */
public record FleetProgress(
    String name,
    boolean paused,
    FleetLimits limits,
    Map<FleetMemberState, Integer> counts,
    List<String> rebooting,
    List<FleetMember> members) {

  /** The summary as a table for a terminal. */
  public String table() {
    return FleetTable.render(members);
  }
}
