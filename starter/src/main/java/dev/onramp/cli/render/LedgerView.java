package dev.onramp.cli.render;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.client.OnboardingClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code onramp show}: the ledger of an onboarding as a table of kind, identifier, outcome. */
public final class LedgerView {
  private LedgerView() {}

  public static List<String> lines(OnboardingClient.LedgerView view) {
    List<String> out = new ArrayList<>();
    out.add("onboarding " + view.workflowId() + "  " + view.status());
    if (view.ledger().isEmpty()) {
      out.add(
          view.createdResources().isEmpty()
              ? "  no resources recorded yet"
              : "  this run predates the ledger; it reported creating: "
                  + String.join(", ", view.createdResources()));
      return out;
    }
    List<List<String>> rows = new ArrayList<>();
    for (LedgerEntry e : view.ledger()) {
      rows.add(List.of(kind(e), e.identifier(), outcome(e), previous(e)));
    }
    Table.lines(List.of("KIND", "IDENTIFIER", "OUTCOME", "PREVIOUS"), rows)
        .forEach(line -> out.add("  " + line));
    return out;
  }

  /** One line per entry as the demo prints it: {@code created publication mz_source}. */
  public static List<String> sentences(List<LedgerEntry> ledger) {
    return ledger.stream().map(LedgerEntry::describe).toList();
  }

  static String kind(LedgerEntry e) {
    return e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String outcome(LedgerEntry e) {
    return e.outcome().name().toLowerCase(Locale.ROOT);
  }

  private static String previous(LedgerEntry e) {
    return e.previous() == null ? "" : e.previous();
  }
}
