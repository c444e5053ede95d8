package dev.onramp.workflows;

import java.util.List;

/** What a finished fleet returns: how many succeeded and failed, and the summary table's rows. */
public record FleetResult(String name, int succeeded, int failed, List<FleetMember> members) {
  public String table() {
    return FleetTable.render(members);
  }
}
