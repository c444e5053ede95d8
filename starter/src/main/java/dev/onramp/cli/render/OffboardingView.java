package dev.onramp.cli.render;

import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.workflows.OffboardingProgress;
import dev.onramp.workflows.OffboardingResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Shows an offboarding as it goes, one line per change (the part it is in, what it waits for, each
 * removal), then the report: counts per outcome, and every leftover with how to finish.
 */
public final class OffboardingView {
  private final PrintStream out;
  private final boolean text;
  private String part;
  private String waitingFor;
  private int shown;

  public OffboardingView(PrintStream out, boolean text) {
    this.out = out;
    this.text = text;
  }

  public void show(OffboardingProgress p) {
    if (!text || p == null) {
      return;
    }
    if (!Objects.equals(p.part(), part)) {
      part = p.part();
      // What it is doing now; the removal lines that follow may belong to parts already done.
      out.println("» now: " + part);
    }
    for (; shown < p.removals().size(); shown++) {
      out.println("  " + line(p.removals().get(shown)));
    }
    if (p.waitingFor() != null && !p.waitingFor().equals(waitingFor)) {
      out.println("  waiting for " + p.waitingFor());
    }
    waitingFor = p.waitingFor();
    out.flush();
  }

  public void report(OffboardingResult r) {
    Map<RemovalOutcome, Integer> counts = new TreeMap<>();
    r.removals().forEach(x -> counts.merge(x.outcome(), 1, Integer::sum));
    StringBuilder summary = new StringBuilder();
    counts.forEach(
        (outcome, n) ->
            summary
                .append(summary.length() == 0 ? "" : ", ")
                .append(n)
                .append(' ')
                .append(outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    if (r.complete()) {
      out.println(
          "offboarding of "
              + r.dbInstanceId()
              + "/"
              + r.database()
              + " complete"
              + (summary.length() == 0 ? ": nothing to remove" : ": " + summary));
      return;
    }
    out.println(
        "offboarding of "
            + r.dbInstanceId()
            + "/"
            + r.database()
            + " INCOMPLETE ("
            + summary
            + "); left over:");
    r.leftovers().forEach(l -> out.println("  - " + l));
  }

  static String line(Removal r) {
    return String.format(
        Locale.ROOT,
        "%-13s %s %s%s",
        r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        r.identifier(),
        r.message() == null || r.message().isBlank() ? "" : ": " + r.message());
  }
}
