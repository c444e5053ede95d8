package dev.onramp.activities.upstream;

import java.util.List;

/** What preflight found: the server version and the resolved tables ({@code schema.table}). */
public record PreflightReport(
    String serverVersion, List<String> tables, List<String> tablesWithoutPrimaryKey) {}
