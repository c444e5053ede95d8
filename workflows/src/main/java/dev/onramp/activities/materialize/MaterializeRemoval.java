package dev.onramp.activities.materialize;

import dev.onramp.activities.ledger.LedgerEntry;
import java.util.List;

/** The Materialize entries of a ledger to remove: source, connection, secret, cluster. */
public record MaterializeRemoval(List<LedgerEntry> entries) {}
