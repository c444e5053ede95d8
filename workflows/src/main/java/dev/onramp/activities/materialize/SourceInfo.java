package dev.onramp.activities.materialize;

import dev.onramp.activities.ledger.LedgerEntry;
import java.util.List;

/** The source and the relations it feeds (subsources or tables), and whether it was created now. */
public record SourceInfo(String name, List<String> relations, boolean created, LedgerEntry entry) {
  public SourceInfo(String name, List<String> relations, boolean created) {
    this(name, relations, created, null);
  }
}
