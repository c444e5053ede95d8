package dev.onramp.sandbox.materialize.tunnel;

/** One SSH TUNNEL connection: the bastion, the user, and the connection's key pairs. */
public record SshTunnelSpec(String id, String host, int port, String user, SshKeyPairs keys) {}
