package dev.onramp.activities.secrets;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.SecretRef;

/** Where the replication password lives, and what converging the secret did. */
public record ReplicationSecret(SecretRef ref, LedgerEntry entry) {}
