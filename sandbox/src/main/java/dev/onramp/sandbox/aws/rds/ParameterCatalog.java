package dev.onramp.sandbox.aws.rds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of the {@code postgresNN} families that the emulator knows. A small subset of the
 * several hundred RDS has: the ones onramp and its users touch around logical replication, plus a
 * few common dynamic ones to exercise {@code ApplyMethod=immediate}. Defaults follow RDS for
 * PostgreSQL 16 where known ({@code rds.logical_replication} 0, {@code rds.force_ssl} 1 from
 * PostgreSQL 15 on, {@code max_replication_slots}/{@code max_wal_senders} 20).
 */
public final class ParameterCatalog {
  private static final Map<String, ParameterDefinition> POSTGRES = new LinkedHashMap<>();

  static {
    add(
        "autovacuum",
        "1",
        "dynamic",
        "boolean",
        "0,1",
        "Starts the autovacuum subprocess.",
        "autovacuum");
    add(
        "idle_in_transaction_session_timeout",
        null,
        "dynamic",
        "integer",
        "0-2147483647",
        "Sets the maximum allowed duration of any idling transaction.",
        "idle_in_transaction_session_timeout");
    add(
        "log_min_duration_statement",
        null,
        "dynamic",
        "integer",
        "-1-2147483647",
        "Sets the minimum execution time above which statements will be logged.",
        "log_min_duration_statement");
    add(
        "log_statement",
        null,
        "dynamic",
        "string",
        "none,ddl,mod,all",
        "Sets the type of statements logged.",
        "log_statement");
    add(
        "max_connections",
        "LEAST({DBInstanceClassMemory/9531392},5000)",
        "static",
        "integer",
        "6-262143",
        "Sets the maximum number of concurrent connections.",
        "max_connections");
    add(
        "max_logical_replication_workers",
        null,
        "static",
        "integer",
        "0-262143",
        "Maximum number of logical replication worker processes.",
        "max_logical_replication_workers");
    add(
        "max_replication_slots",
        "20",
        "static",
        "integer",
        "5-262143",
        "Sets the maximum number of replication slots that the server can support.",
        "max_replication_slots");
    add(
        "max_slot_wal_keep_size",
        null,
        "dynamic",
        "integer",
        "-1-2147483647",
        "What size to reserve for WAL slots.",
        "max_slot_wal_keep_size");
    add(
        "max_wal_senders",
        "20",
        "static",
        "integer",
        "5-262143",
        "Sets the maximum number of simultaneously running WAL sender processes.",
        "max_wal_senders");
    add(
        "max_worker_processes",
        null,
        "static",
        "integer",
        "0-262143",
        "Maximum number of concurrent worker processes.",
        "max_worker_processes");
    add(
        "password_encryption",
        "scram-sha-256",
        "dynamic",
        "string",
        "md5,scram-sha-256",
        "Encrypt passwords.",
        "password_encryption");
    add("rds.force_ssl", "1", "dynamic", "boolean", "0,1", "Force SSL connections.", null);
    add(
        "rds.logical_replication",
        "0",
        "static",
        "boolean",
        "0,1",
        "Enables logical decoding.",
        null);
    add(
        "shared_preload_libraries",
        "pg_stat_statements",
        "static",
        "list",
        "auto_explain,pg_stat_statements,pg_cron,pglogical,pg_hint_plan",
        "Lists shared libraries to preload into server.",
        null);
    add(
        "statement_timeout",
        null,
        "dynamic",
        "integer",
        "0-2147483647",
        "Sets the maximum allowed duration of any statement.",
        "statement_timeout");
    add(
        "track_commit_timestamp",
        "0",
        "static",
        "boolean",
        "0,1",
        "Collects transaction commit time.",
        "track_commit_timestamp");
    add(
        "wal_keep_size",
        "2048",
        "dynamic",
        "integer",
        "0-2147483647",
        "Sets the size of WAL files held for standby servers.",
        "wal_keep_size");
    add(
        "wal_sender_timeout",
        "30000",
        "dynamic",
        "integer",
        "0-3600000",
        "Sets the maximum time to wait for WAL replication.",
        "wal_sender_timeout");
    add(
        "work_mem",
        null,
        "dynamic",
        "integer",
        "64-2147483647",
        "Sets the maximum memory to be used for query workspaces.",
        "work_mem");
  }

  /**
   * Parameters that Aurora PostgreSQL keeps in the DB <em>cluster</em> parameter group, not in the
   * instances' DB parameter groups (Aurora User Guide, "Aurora PostgreSQL parameters": {@code
   * rds.logical_replication} and the replication slot/sender limits are cluster-level; the
   * reference's Aurora section: set the parameter in the cluster group). A real cluster group holds
   * many more; these are the ones onramp touches.
   */
  private static final java.util.Set<String> AURORA_CLUSTER_LEVEL =
      java.util.Set.of(
          "rds.logical_replication",
          "rds.force_ssl",
          "max_replication_slots",
          "max_wal_senders",
          "max_logical_replication_workers");

  private ParameterCatalog() {}

  private static void add(
      String name,
      String def,
      String applyType,
      String dataType,
      String allowed,
      String description,
      String pgSetting) {
    POSTGRES.put(
        name,
        new ParameterDefinition(
            name, def, applyType, dataType, allowed, true, description, pgSetting));
  }

  /**
   * All parameters of a DB parameter group family, in name order (as DescribeDBParameters lists
   * them). An Aurora instance group lacks the cluster-level ones.
   */
  public static List<ParameterDefinition> forFamily(String family) {
    if (isAurora(family)) {
      return POSTGRES.values().stream()
          .filter(d -> !AURORA_CLUSTER_LEVEL.contains(d.name()))
          .toList();
    }
    return List.copyOf(POSTGRES.values());
  }

  /** The parameters of a DB cluster parameter group family (Aurora), in name order. */
  public static List<ParameterDefinition> forClusterFamily(String family) {
    return POSTGRES.values().stream().filter(d -> AURORA_CLUSTER_LEVEL.contains(d.name())).toList();
  }

  /** Every parameter the emulator knows, whichever group holds it (for the server's settings). */
  public static List<ParameterDefinition> all() {
    return List.copyOf(POSTGRES.values());
  }

  public static Optional<ParameterDefinition> find(String family, String name) {
    return forFamily(family).stream().filter(d -> d.name().equals(name)).findFirst();
  }

  public static Optional<ParameterDefinition> findInCluster(String family, String name) {
    return forClusterFamily(family).stream().filter(d -> d.name().equals(name)).findFirst();
  }

  private static boolean isAurora(String family) {
    return family != null && family.startsWith("aurora-");
  }
}
