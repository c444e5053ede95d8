package dev.onramp.activities.network;

import dev.onramp.activities.ledger.LedgerEntry;
import java.util.List;

/** The ingress-rule entries of a ledger to revoke. */
public record IngressRemoval(String region, List<LedgerEntry> entries) {}
