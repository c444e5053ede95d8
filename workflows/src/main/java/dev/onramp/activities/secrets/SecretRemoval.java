package dev.onramp.activities.secrets;

import dev.onramp.activities.ledger.LedgerEntry;

/** The replication-secret entry of a ledger to delete. */
public record SecretRemoval(String region, LedgerEntry entry) {}
