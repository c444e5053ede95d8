package dev.onramp.sandbox.materialize.sql;

import java.util.List;

/** The Materialize statements the stand-in executes itself (none of them returns rows). */
public sealed interface MzStatement {

  /** Object kinds that DROP understands. */
  enum ObjectKind {
    SOURCE,
    TABLE,
    CONNECTION,
    SECRET,
    CLUSTER;

    public String lower() {
      return name().toLowerCase();
    }
  }

  /** A reference to an upstream table, {@code schema} may be null. */
  record TableRef(String schema, String table, String alias) {
    public String display() {
      return schema == null ? table : schema + "." + table;
    }
  }

  /** Which upstream tables a source ingests. */
  sealed interface TableSpec {
    /** {@code FOR ALL TABLES}. */
    record AllTables() implements TableSpec {}

    /** {@code FOR SCHEMAS (...)}. */
    record Schemas(List<String> schemas) implements TableSpec {}

    /** {@code FOR TABLES (...)}. */
    record Tables(List<TableRef> tables) implements TableSpec {}

    /** No FOR clause (the v26+ form; tables come later with CREATE TABLE ... FROM SOURCE). */
    record None() implements TableSpec {}
  }

  /** Options of {@code CREATE CONNECTION ... TO POSTGRES}. */
  record PostgresOptions(
      String host,
      int port,
      String database,
      String user,
      String passwordSecret,
      String sslMode,
      String sshTunnel,
      String sslCertificateAuthority,
      String sslCertificateAuthoritySecret,
      String privatelink) {}

  record CreateCluster(String name, String size, int replicationFactor) implements MzStatement {}

  record AlterCluster(String name, boolean ifExists, String size, Integer replicationFactor)
      implements MzStatement {}

  record CreateSecret(String name, boolean ifNotExists, byte[] value) implements MzStatement {
    @Override
    public String toString() {
      return "CreateSecret[" + name + ", <redacted>]";
    }
  }

  record AlterSecret(String name, boolean ifExists, byte[] value) implements MzStatement {
    @Override
    public String toString() {
      return "AlterSecret[" + name + ", <redacted>]";
    }
  }

  record CreatePostgresConnection(
      String name, boolean ifNotExists, PostgresOptions options, boolean validate, String sql)
      implements MzStatement {}

  record CreateSshTunnelConnection(
      String name, boolean ifNotExists, String host, int port, String user, String sql)
      implements MzStatement {}

  record CreatePrivatelinkConnection(
      String name,
      boolean ifNotExists,
      String serviceName,
      java.util.List<String> availabilityZones,
      String sql)
      implements MzStatement {}

  /**
   * {@code ALTER CONNECTION name SET (opt = v) | DROP (opt) | RESET (opt) [, ...] [WITH (VALIDATE
   * b)]}; {@code set} maps HOST, PORT, DATABASE, USER, PASSWORD (a secret's name) and SSL MODE to
   * their new values, {@code reset} lists the options put back to their defaults.
   */
  record AlterConnection(
      String name,
      boolean ifExists,
      java.util.Map<String, String> set,
      java.util.Set<String> reset,
      boolean validate)
      implements MzStatement {}

  record ValidateConnection(String name) implements MzStatement {}

  record CreateSource(
      String name,
      boolean ifNotExists,
      String cluster,
      String connection,
      String publication,
      List<String> textColumns,
      TableSpec tables,
      String exposeProgressAs,
      String sql)
      implements MzStatement {}

  record CreateTableFromSource(
      String name,
      boolean ifNotExists,
      String source,
      TableRef reference,
      List<String> textColumns,
      String sql)
      implements MzStatement {}

  record AlterSourceAdd(
      String source, boolean ifExists, List<TableRef> tables, List<String> textColumns)
      implements MzStatement {}

  record AlterSourceDropSubsources(
      String source, boolean ifExists, List<String> names, boolean cascade)
      implements MzStatement {}

  record AlterSourceRefresh(String source) implements MzStatement {}

  record Drop(ObjectKind kind, boolean ifExists, List<String> names, boolean cascade)
      implements MzStatement {}

  /** {@code COMMENT ON kind name IS 'comment'}; a null comment removes it. */
  record Comment(ObjectKind kind, String name, String comment) implements MzStatement {}

  record SetCluster(String cluster) implements MzStatement {}
}
