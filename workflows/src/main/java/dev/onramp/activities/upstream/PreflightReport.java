package dev.onramp.activities.upstream;

import dev.onramp.workflows.QualifiedName;
import java.util.List;

/**
 * What preflight found: the server version, the resolved tables ({@code schema.table} as a person
 * writes them, and as names), which of them lack a primary key, and {@code max_slot_wal_keep_size}
 * as pg_settings shows it (MB; {@value #NO_WAL_KEEP_SIZE} before PostgreSQL 13; null in histories
 * recorded before it was read).
 */
public record PreflightReport(
    String serverVersion,
    List<String> tables,
    List<String> tablesWithoutPrimaryKey,
    List<QualifiedName> tableNames,
    String maxSlotWalKeepSize) {

  /** The server has no {@code max_slot_wal_keep_size} (PostgreSQL before 13). */
  public static final String NO_WAL_KEEP_SIZE = "absent";

  public PreflightReport(
      String serverVersion,
      List<String> tables,
      List<String> tablesWithoutPrimaryKey,
      List<QualifiedName> tableNames) {
    this(serverVersion, tables, tablesWithoutPrimaryKey, tableNames, null);
  }

  public PreflightReport(
      String serverVersion, List<String> tables, List<String> tablesWithoutPrimaryKey) {
    this(serverVersion, tables, tablesWithoutPrimaryKey, null);
  }
}
