package dev.onramp.activities.materialize;

/** A Materialize PostgreSQL connection; the password is the name of a Materialize secret. */
public record ConnectionSpec(
    String name,
    String host,
    int port,
    String database,
    String user,
    String passwordSecret,
    String sslMode,
    String sshTunnelConnection,
    String privatelinkConnection) {}
