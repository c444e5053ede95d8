package dev.onramp.activities.upstream;

import dev.onramp.workflows.QualifiedName;
import java.util.List;

/**
 * What preflight found: the server version, the resolved tables ({@code schema.table} as a person
 * writes them, and as names), and which of them lack a primary key.
 */
public record PreflightReport(
    String serverVersion,
    List<String> tables,
    List<String> tablesWithoutPrimaryKey,
    List<QualifiedName> tableNames) {

  public PreflightReport(
      String serverVersion, List<String> tables, List<String> tablesWithoutPrimaryKey) {
    this(serverVersion, tables, tablesWithoutPrimaryKey, null);
  }
}
