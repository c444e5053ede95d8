package dev.onramp.cli.render;

import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.workflows.OnboardingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code onramp plan}: the planned changes as a table, the reboot, and the conflicts. */
public final class PlanView {
  private PlanView() {}

  public static List<String> lines(OnboardingPlan plan) {
    List<String> out = new ArrayList<>();
    out.add("plan for " + plan.dbInstanceId() + "/" + plan.database() + " (nothing was changed)");
    List<List<String>> rows = new ArrayList<>();
    for (PlannedChange c : plan.changes()) {
      rows.add(
          List.of(
              c.action().name().toLowerCase(Locale.ROOT),
              c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
              c.identifier(),
              c.why() == null ? "" : c.why()));
    }
    Table.lines(List.of("ACTION", "KIND", "IDENTIFIER", "WHY"), rows)
        .forEach(line -> out.add("  " + line));
    out.add((plan.rebootNeeded() ? "reboot needed: " : "no reboot needed: ") + plan.rebootWhy());
    if (plan.walSafety() != null) {
      out.add("WAL safety: " + plan.walSafety().advice());
      if (plan.walSafety().applied() != null) {
        out.add("  " + plan.walSafety().applied());
      }
    }
    if (plan.snapshotEstimate() != null) {
      out.add("snapshot: " + plan.snapshotEstimate().describe());
    }
    if (plan.conflicts().isEmpty()) {
      out.add("conflicts: none");
    } else {
      out.add("conflicts:");
      plan.conflicts().forEach(c -> out.add("  - " + c));
    }
    return out;
  }
}
