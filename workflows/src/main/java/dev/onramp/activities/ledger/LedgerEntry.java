package dev.onramp.activities.ledger;

import java.util.Map;

/**
 * One line of what onramp owns or touched: the kind, the identifier (format per {@link
 * ResourceKind}), what converging it did, what was there before (null when nothing or unknown), and
 * the attributes its removal needs (never a secret value).
 */
public record LedgerEntry(
    ResourceKind kind,
    String identifier,
    Outcome outcome,
    String previous,
    Map<String, String> attributes) {
  public LedgerEntry {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static LedgerEntry created(ResourceKind kind, String identifier) {
    return new LedgerEntry(kind, identifier, Outcome.CREATED, null, Map.of());
  }

  public static LedgerEntry changed(ResourceKind kind, String identifier, String previous) {
    return new LedgerEntry(kind, identifier, Outcome.CHANGED, previous, Map.of());
  }

  public static LedgerEntry reused(ResourceKind kind, String identifier) {
    return new LedgerEntry(kind, identifier, Outcome.REUSED, null, Map.of());
  }

  public LedgerEntry withAttributes(Map<String, String> more) {
    java.util.Map<String, String> all = new java.util.HashMap<>(attributes);
    all.putAll(more);
    return new LedgerEntry(kind, identifier, outcome, previous, all);
  }

  public String attribute(String name) {
    return attributes.get(name);
  }

  /** As a person reads it: {@code created publication mz_source}. */
  public String describe() {
    return outcome.name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + " "
        + identifier
        + (previous == null ? "" : " (was " + previous + ")");
  }
}
