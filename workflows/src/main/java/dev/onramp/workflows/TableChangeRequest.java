package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.tables.TableChangeAction;
import java.util.List;

/**
 * {@code onramp tables add|drop}: the onboarding's request as it started (names, target), the
 * tables (SQL identifier syntax, {@code orders} or {@code shop."Line Items"}), and what onramp did
 * to the target so far ({@link dev.onramp.workflows.client.TableChangeClient#ledgerOf}: the
 * onboarding's ledger and every earlier table change's, oldest first), which a drop reads to put
 * back only what onramp changed.
 */
public record TableChangeRequest(
    OnboardingRequest onboarding,
    TableChangeAction action,
    List<String> tables,
    List<LedgerEntry> ledger) {
  public TableChangeRequest {
    tables = tables == null ? List.of() : List.copyOf(tables);
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }

  /** What is wrong with the request, each naming the field and value; empty when it is valid. */
  public List<String> problems() {
    List<String> out = new java.util.ArrayList<>();
    if (onboarding == null) {
      out.add("onboarding: missing (the request of the target's onboarding)");
    } else {
      out.addAll(RequestValidator.problems(onboarding));
    }
    if (action == null) {
      out.add("action: missing (ADD or DROP)");
    }
    if (tables.isEmpty()) {
      out.add("tables: name at least one table, e.g. orders,shop.customers");
    }
    for (String t : tables) {
      try {
        SqlIdentifiers.parseQualified(t, "public");
      } catch (IllegalArgumentException e) {
        out.add("tables: '" + t + "' is not a table name (" + e.getMessage() + ")");
      }
    }
    return out;
  }
}
