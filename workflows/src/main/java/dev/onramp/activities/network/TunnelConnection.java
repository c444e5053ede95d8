package dev.onramp.activities.network;

import dev.onramp.activities.ledger.LedgerEntry;

/**
 * The tunnel connection as Materialize made it: for SSH, the two public keys that go into the
 * bastion's {@code authorized_keys}; for PrivateLink, the principal to allow on the endpoint
 * service. Public values only. {@code entry}: what converging it did.
 */
public record TunnelConnection(
    String name, String publicKey1, String publicKey2, String principal, LedgerEntry entry) {}
