package dev.onramp.activities.upstream;

import dev.onramp.activities.ledger.LedgerEntry;
import java.util.List;

/**
 * The upstream entries of a ledger to remove (replica identities, publication, role, grants), and
 * the Materialize source entries whose replication slots must not outlive them (their {@code
 * replicationSlot} attribute names the slot to drop when Materialize could not).
 */
public record UpstreamRemoval(UpstreamTarget target, List<LedgerEntry> entries) {}
