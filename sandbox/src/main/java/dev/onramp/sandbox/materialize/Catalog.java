package dev.onramp.sandbox.materialize;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Materialize catalog, kept in the backing PostgreSQL under Materialize's relation and column
 * names ({@code mz_catalog}, {@code mz_internal}; MZ:doc/user/content/sql/system-catalog), so
 * clients' plain SELECTs over it are answered by the backing server. What Materialize keeps hidden
 * (secret values, connection details, ingestion progress) lives in the private schema {@code
 * mz_standin}, which client sessions cannot read.
 */
final class Catalog {

  /** The role that owns user objects (Materialize shows role ids, not names). */
  static final String OWNER_ID = "u1";

  static final String PUBLIC_SCHEMA_ID = "u3";

  /** An object in the item namespace (sources, tables, connections, secrets). */
  record Item(String id, String name, String kind, String type) {}

  /** A cluster and its replicas' ids. */
  record Cluster(String id, String name, String size, int replicationFactor) {}

  private static final String SCHEMA =
      """
      CREATE SCHEMA IF NOT EXISTS mz_catalog;
      CREATE SCHEMA IF NOT EXISTS mz_internal;
      CREATE SCHEMA IF NOT EXISTS mz_catalog_unstable;
      CREATE SCHEMA IF NOT EXISTS mz_standin;
      CREATE SEQUENCE IF NOT EXISTS mz_standin.item_ids START 1;
      CREATE SEQUENCE IF NOT EXISTS mz_standin.cluster_ids START 2;
      CREATE SEQUENCE IF NOT EXISTS mz_standin.replica_ids START 2;
      CREATE SEQUENCE IF NOT EXISTS mz_standin.oids START 20000;
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_databases (
        id text PRIMARY KEY, oid oid, name text, owner_id text, privileges text[]);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_schemas (
        id text PRIMARY KEY, oid oid, database_id text, name text, owner_id text,
        privileges text[]);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_clusters (
        id text PRIMARY KEY, name text UNIQUE NOT NULL, owner_id text, privileges text[],
        managed boolean, size text, replication_factor numeric, disk boolean,
        availability_zones text[], introspection_debugging boolean,
        introspection_interval interval);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_cluster_replicas (
        id text PRIMARY KEY, name text, cluster_id text, size text, availability_zone text,
        owner_id text, disk boolean);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_cluster_replica_sizes (
        size text PRIMARY KEY, processes numeric, workers numeric, cpu_nano_cores numeric,
        memory_bytes numeric, disk_bytes numeric, credits_per_hour numeric);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_secrets (
        id text PRIMARY KEY, oid oid, schema_id text, name text UNIQUE NOT NULL, owner_id text,
        privileges text[]);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_connections (
        id text PRIMARY KEY, oid oid, schema_id text, name text UNIQUE NOT NULL, type text,
        owner_id text, privileges text[], create_sql text, redacted_create_sql text);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_ssh_tunnel_connections (
        id text PRIMARY KEY, public_key_1 text, public_key_2 text);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_sources (
        id text PRIMARY KEY, oid oid, schema_id text, name text UNIQUE NOT NULL, type text,
        connection_id text, size text, envelope_type text, key_format text, value_format text,
        cluster_id text, owner_id text, privileges text[], create_sql text,
        redacted_create_sql text);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_tables (
        id text PRIMARY KEY, oid oid, schema_id text, name text UNIQUE NOT NULL,
        privileges text[], owner_id text, create_sql text, redacted_create_sql text,
        source_id text);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_egress_ips (
        egress_ip text, prefix_length integer, cidr text);
      CREATE TABLE IF NOT EXISTS mz_internal.mz_object_dependencies (
        object_id text, referenced_object_id text);
      CREATE TABLE IF NOT EXISTS mz_internal.mz_source_statuses (
        id text PRIMARY KEY, name text, type text, last_status_change_at timestamptz,
        status text, error text, details jsonb);
      CREATE TABLE IF NOT EXISTS mz_internal.mz_source_status_history (
        occurred_at timestamptz, source_id text, status text, error text, details jsonb,
        replica_id text);
      CREATE TABLE IF NOT EXISTS mz_internal.mz_source_statistics (
        id text PRIMARY KEY, replica_id text, messages_received numeric, bytes_received numeric,
        updates_staged numeric, updates_committed numeric, records_indexed numeric,
        bytes_indexed numeric, rehydration_latency interval, snapshot_records_known numeric,
        snapshot_records_staged numeric, snapshot_committed boolean, offset_known numeric,
        offset_committed numeric);
      CREATE TABLE IF NOT EXISTS mz_internal.mz_comments (
        id text, object_type text, object_sub_id integer, comment text);
      CREATE TABLE IF NOT EXISTS mz_internal.mz_postgres_sources (
        id text PRIMARY KEY, replication_slot text, timeline_id numeric);
      CREATE OR REPLACE VIEW mz_catalog_unstable.mz_postgres_sources AS
        SELECT id, replication_slot, timeline_id FROM mz_internal.mz_postgres_sources;
      CREATE TABLE IF NOT EXISTS mz_standin.secret_values (id text PRIMARY KEY, value bytea);
      CREATE TABLE IF NOT EXISTS mz_standin.pg_connections (
        id text PRIMARY KEY, host text, port integer, database text, username text,
        password_secret_id text, ssl_mode text, ssh_tunnel_id text);
      ALTER TABLE mz_standin.pg_connections ADD COLUMN IF NOT EXISTS ssl_ca text;
      ALTER TABLE mz_standin.pg_connections ADD COLUMN IF NOT EXISTS privatelink_id text;
      CREATE TABLE IF NOT EXISTS mz_standin.ssh_tunnel_keys (
        id text PRIMARY KEY, public_key_1 text, private_key_1 text, public_key_2 text,
        private_key_2 text);
      CREATE TABLE IF NOT EXISTS mz_catalog.mz_aws_privatelink_connections (
        id text PRIMARY KEY, principal text);
      CREATE TABLE IF NOT EXISTS mz_standin.privatelink_connections (
        id text PRIMARY KEY, service_name text, availability_zones text[]);
      CREATE TABLE IF NOT EXISTS mz_standin.region (id text);
      INSERT INTO mz_standin.region SELECT gen_random_uuid()::text
        WHERE NOT EXISTS (SELECT 1 FROM mz_standin.region);
      CREATE TABLE IF NOT EXISTS mz_standin.pg_sources (
        id text PRIMARY KEY, connection_id text, publication text, slot text,
        committed_lsn bigint, progress_table text);
      CREATE TABLE IF NOT EXISTS mz_standin.pg_outputs (
        id text PRIMARY KEY, source_id text, name text, kind text, upstream_schema text,
        upstream_table text, snapshot_lsn bigint);
      CREATE OR REPLACE VIEW mz_internal.mz_postgres_source_tables AS
        SELECT id, upstream_schema AS schema_name, upstream_table AS table_name
          FROM mz_standin.pg_outputs;
      CREATE TABLE IF NOT EXISTS mz_internal.mz_source_references (
        source_id text, namespace text, name text, updated_at timestamptz, columns text[]);
      CREATE TABLE IF NOT EXISTS mz_standin.utilization (
        cluster_name text PRIMARY KEY, cpu_percent float8, memory_percent float8,
        disk_percent float8);
      CREATE OR REPLACE VIEW mz_standin.snapshot_load AS
        SELECT m.cluster_id, max(coalesce(st.snapshot_records_staged, 0)
                                 / greatest(st.snapshot_records_known, 1)) AS fraction
          FROM mz_catalog.mz_sources m
          JOIN mz_internal.mz_source_statistics st ON st.id = m.id
         WHERE m.cluster_id IS NOT NULL AND st.snapshot_records_known IS NOT NULL
           AND NOT coalesce(st.snapshot_committed, false)
         GROUP BY m.cluster_id;
      CREATE OR REPLACE VIEW mz_internal.mz_cluster_replica_utilization AS
        SELECT r.id AS replica_id, 0::numeric AS process_id,
               CASE WHEN l.cluster_id IS NULL THEN coalesce(u.cpu_percent, 4.0)
                    ELSE greatest(coalesce(u.cpu_percent, 4.0), 92.0) END AS cpu_percent,
               CASE WHEN l.cluster_id IS NULL THEN coalesce(u.memory_percent, 18.0)
                    ELSE greatest(coalesce(u.memory_percent, 18.0), 20 + 60 * l.fraction)
               END::float8 AS memory_percent,
               coalesce(u.disk_percent, 1.0) AS disk_percent,
               coalesce(u.memory_percent, 18.0) AS heap_percent
          FROM mz_catalog.mz_cluster_replicas r
          JOIN mz_catalog.mz_clusters c ON c.id = r.cluster_id
          LEFT JOIN mz_standin.utilization u ON u.cluster_name = c.name
          LEFT JOIN mz_standin.snapshot_load l ON l.cluster_id = c.id;
      CREATE TABLE IF NOT EXISTS mz_standin.withheld_privileges (privilege text PRIMARY KEY);
      CREATE OR REPLACE VIEW mz_internal.mz_show_my_system_privileges AS
        SELECT 'mz_system'::text AS grantor, current_user::text AS grantee,
               p::text AS privilege_type
          FROM unnest(ARRAY['CREATEROLE', 'CREATEDB', 'CREATECLUSTER', 'CREATENETWORKPOLICY']) p
         WHERE p NOT IN (SELECT privilege FROM mz_standin.withheld_privileges);
      CREATE OR REPLACE VIEW mz_internal.mz_show_my_schema_privileges AS
        SELECT 'mz_system'::text AS grantor, current_user::text AS grantee,
               'materialize'::text AS database, 'public'::text AS name, p::text AS privilege_type
          FROM unnest(ARRAY['USAGE', 'CREATE']) p
         WHERE p || ' ON SCHEMA' NOT IN (SELECT privilege FROM mz_standin.withheld_privileges);
      REVOKE ALL ON SCHEMA mz_standin FROM PUBLIC;
      REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      GRANT USAGE ON SCHEMA mz_catalog, mz_internal, mz_catalog_unstable, public TO mz_client;
      GRANT SELECT ON ALL TABLES IN SCHEMA mz_catalog, mz_internal, mz_catalog_unstable, public
        TO mz_client;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO mz_client;
      ALTER ROLE mz_client SET search_path = public, mz_catalog;
      """;

  private final BackingPostgres backing;

  Catalog(BackingPostgres backing) {
    this.backing = backing;
  }

  Connection connect() throws SQLException {
    return backing.connect();
  }

  /** Creates the catalog on first start and refreshes the configurable parts on every start. */
  void init(MaterializeStandIn.Config config) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(SCHEMA);
      String version = config.syntax().version();
      st.execute(
          "CREATE OR REPLACE FUNCTION mz_catalog.mz_version() RETURNS text LANGUAGE sql STABLE"
              + " AS $$ SELECT '"
              + version
              + " (onramp-standin)'::text $$");
      st.execute(
          "CREATE OR REPLACE FUNCTION mz_catalog.mz_version_num() RETURNS integer LANGUAGE sql"
              + " STABLE AS $$ SELECT "
              + config.syntax().versionNum()
              + " $$");
      st.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA mz_catalog TO mz_client");
      if (!st.executeQuery("SELECT 1 FROM mz_catalog.mz_databases").next()) {
        st.execute(
            "INSERT INTO mz_catalog.mz_databases VALUES ('u1', 16384, 'materialize', 's1',"
                + " '{u1=UC/u1}')");
        st.execute(
            "INSERT INTO mz_catalog.mz_schemas VALUES ('u3', 16385, 'u1', 'public', 's1',"
                + " '{u1=UC/u1}')");
        for (String[] sys :
            new String[][] {
              {"s1", "mz_system"},
              {"s2", "mz_catalog_server"},
              {"s3", "mz_probe"},
              {"s4", "mz_support"},
              {"s5", "mz_analytics"}
            }) {
          st.execute(
              "INSERT INTO mz_catalog.mz_clusters VALUES ('"
                  + sys[0]
                  + "', '"
                  + sys[1]
                  + "', 's1', '{}', true, NULL, 0, false, '{}', false, NULL)");
        }
        insertCluster(c, "u1", config.defaultCluster(), config.defaultClusterSize(), 1);
      }
      st.execute("DELETE FROM mz_catalog.mz_egress_ips");
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO mz_catalog.mz_egress_ips VALUES (?, ?, ?)")) {
        for (String cidr : config.egressCidrs()) {
          String[] p = cidr.split("/");
          ps.setString(1, p[0]);
          ps.setInt(2, p.length > 1 ? Integer.parseInt(p[1]) : 32);
          ps.setString(3, p.length > 1 ? cidr : cidr + "/32");
          ps.addBatch();
        }
        ps.executeBatch();
      }
      st.execute("DELETE FROM mz_catalog.mz_cluster_replica_sizes");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO mz_catalog.mz_cluster_replica_sizes VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (ClusterSize s : config.clusterSizes()) {
          ps.setString(1, s.name());
          ps.setInt(2, s.processes());
          ps.setInt(3, s.workers());
          ps.setLong(4, s.cpuNanoCores());
          ps.setLong(5, s.memoryBytes());
          ps.setLong(6, s.diskBytes());
          ps.setBigDecimal(7, s.creditsPerHour());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  /** A row of {@code mz_cluster_replica_sizes}. */
  record ClusterSize(
      String name,
      int processes,
      int workers,
      long cpuNanoCores,
      long memoryBytes,
      long diskBytes,
      BigDecimal creditsPerHour) {}

  void insertCluster(Connection c, String id, String name, String size, int replicationFactor)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO mz_catalog.mz_clusters VALUES (?, ?, ?, '{u1=UC/u1}', true, ?, ?, true,"
            + " '{}', false, interval '1 second')",
        id,
        name,
        OWNER_ID,
        size,
        replicationFactor);
    createReplicas(c, id, size, replicationFactor);
  }

  /** Managed clusters get replicas r1..rN; a resize replaces them, as Materialize does. */
  void createReplicas(Connection c, String clusterId, String size, int replicationFactor)
      throws SQLException {
    Jdbc.update(c, "DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = ?", clusterId);
    for (int i = 1; i <= replicationFactor; i++) {
      String id = "u" + nextval(c, "mz_standin.replica_ids");
      Jdbc.update(
          c,
          "INSERT INTO mz_catalog.mz_cluster_replicas VALUES (?, ?, ?, ?, NULL, ?, true)",
          id,
          "r" + i,
          clusterId,
          size,
          OWNER_ID);
    }
  }

  long nextval(Connection c, String sequence) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT nextval('" + sequence + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  String nextItemId(Connection c) throws SQLException {
    return "u" + nextval(c, "mz_standin.item_ids");
  }

  long nextOid(Connection c) throws SQLException {
    return nextval(c, "mz_standin.oids");
  }

  /** Looks a name up in the item namespace shared by sources, tables, connections, secrets. */
  Optional<Item> findItem(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, name, 'source', type FROM mz_catalog.mz_sources WHERE name = ?"
                + " UNION ALL SELECT id, name, 'table', 'table' FROM mz_catalog.mz_tables"
                + " WHERE name = ?"
                + " UNION ALL SELECT id, name, 'connection', type FROM mz_catalog.mz_connections"
                + " WHERE name = ?"
                + " UNION ALL SELECT id, name, 'secret', 'secret' FROM mz_catalog.mz_secrets"
                + " WHERE name = ?")) {
      for (int i = 1; i <= 4; i++) {
        ps.setString(i, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return Optional.of(
              new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Takes a privilege from the stand-in's user ({@code CREATECLUSTER}, or {@code CREATE ON SCHEMA}
   * for materialize.public), or with null gives every privilege back.
   */
  void withholdPrivilege(String privilege) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      if (privilege == null) {
        st.execute("DELETE FROM mz_standin.withheld_privileges");
      } else {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO mz_standin.withheld_privileges VALUES (?) ON CONFLICT DO NOTHING")) {
          ps.setString(1, privilege);
          ps.executeUpdate();
        }
      }
    }
  }

  boolean isWithheld(Connection c, String privilege) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM mz_standin.withheld_privileges WHERE privilege = ?")) {
      ps.setString(1, privilege);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  Optional<Cluster> findCluster(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, name, size, replication_factor FROM mz_catalog.mz_clusters WHERE name ="
                + " ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return Optional.of(
              new Cluster(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
        }
      }
    }
    return Optional.empty();
  }

  /** Objects that depend on {@code id}, per mz_object_dependencies and the source links. */
  List<Item> dependents(Connection c, String id) throws SQLException {
    List<Item> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.id, s.name, 'source', s.type FROM mz_catalog.mz_sources s"
                + " WHERE s.connection_id = ? AND s.type = 'postgres'"
                + " UNION ALL SELECT c.id, c.name, 'connection', c.type"
                + " FROM mz_catalog.mz_connections c JOIN mz_standin.pg_connections p"
                + " ON p.id = c.id WHERE p.password_secret_id = ? OR p.ssh_tunnel_id = ?"
                + " UNION ALL SELECT s.id, s.name, 'source', s.type FROM mz_catalog.mz_sources s"
                + " JOIN mz_standin.pg_outputs o ON o.id = s.id WHERE o.source_id = ?"
                + " UNION ALL SELECT t.id, t.name, 'table', 'table' FROM mz_catalog.mz_tables t"
                + " WHERE t.source_id = ?"
                + " ORDER BY 1")) {
      for (int i = 1; i <= 5; i++) {
        ps.setString(i, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return out;
  }

  String clusterIdForCleanup(Connection c, String sourceId) throws SQLException {
    return Jdbc.string(c, "SELECT cluster_id FROM mz_catalog.mz_sources WHERE id = ?", sourceId);
  }

  /** Sets the replica utilization the right-sizing step reads. */
  /**
   * Materialize's egress IPs change (a region's NAT gateways are replaced): what it reports now.
   */
  void setEgressCidrs(java.util.List<String> cidrs) throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      Jdbc.update(c, "DELETE FROM mz_catalog.mz_egress_ips");
      for (String cidr : cidrs) {
        String[] p = cidr.split("/");
        Jdbc.update(
            c,
            "INSERT INTO mz_catalog.mz_egress_ips VALUES (?, ?, ?)",
            p[0],
            p.length > 1 ? Integer.parseInt(p[1]) : 32,
            p.length > 1 ? cidr : cidr + "/32");
      }
      c.commit();
    }
  }

  void setUtilization(String cluster, double cpu, double memory, double disk) throws SQLException {
    try (Connection c = connect()) {
      Jdbc.update(
          c,
          "INSERT INTO mz_standin.utilization VALUES (?, ?, ?, ?) ON CONFLICT (cluster_name)"
              + " DO UPDATE SET cpu_percent = excluded.cpu_percent, memory_percent ="
              + " excluded.memory_percent, disk_percent = excluded.disk_percent",
          cluster,
          cpu,
          memory,
          disk);
    }
  }
}
