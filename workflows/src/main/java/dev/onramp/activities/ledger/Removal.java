package dev.onramp.activities.ledger;

/** What offboarding did with one ledger entry, and in a person's terms why or what is left. */
public record Removal(
    ResourceKind kind, String identifier, RemovalOutcome outcome, String message) {
  public static Removal of(LedgerEntry entry, RemovalOutcome outcome, String message) {
    return new Removal(entry.kind(), entry.identifier(), outcome, message);
  }

  /** Done for good: a second offboarding has nothing left to do with it. */
  public boolean settled() {
    return outcome != RemovalOutcome.LEFT_OVER;
  }
}
