package dev.onramp.activities.rds;

import dev.onramp.activities.ledger.LedgerEntry;

/**
 * Delete the parameter group of {@code entry} if onramp created it and no instance uses it any
 * longer ({@code dbInstanceId} is the offboarded instance, for the message when it still does).
 */
public record ParameterGroupRemoval(String region, String dbInstanceId, LedgerEntry entry) {}
