package dev.onramp.activities.verification;

import dev.onramp.activities.ledger.LedgerEntry;

/** The schedule entry of a ledger to delete. */
public record ScheduleRemoval(LedgerEntry entry) {}
