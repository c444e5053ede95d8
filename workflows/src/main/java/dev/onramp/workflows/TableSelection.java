package dev.onramp.workflows;

import java.util.List;

/**
 * Which upstream tables to replicate, mirroring Materialize's {@code FOR ALL TABLES | FOR TABLES
 * (...) | FOR SCHEMAS (...)}. Names are written in SQL identifier syntax: {@code orders}, {@code
 * shop.orders}, or quoted {@code "Odd ""name""; yes"}.
 */
public record TableSelection(Mode mode, List<String> names) {

  public enum Mode {
    ALL_TABLES,
    TABLES,
    SCHEMAS
  }

  public static TableSelection allTables() {
    return new TableSelection(Mode.ALL_TABLES, List.of());
  }

  public static TableSelection tables(String... names) {
    return new TableSelection(Mode.TABLES, List.of(names));
  }

  public static TableSelection schemas(String... names) {
    return new TableSelection(Mode.SCHEMAS, List.of(names));
  }

  public TableSelection {
    names = names == null ? List.of() : List.copyOf(names);
  }

  /** The tables as parsed, qualified names (schema defaults to {@code public}). */
  public List<QualifiedName> tableNames() {
    return mode == Mode.TABLES
        ? names.stream().map(n -> SqlIdentifiers.parseQualified(n, "public")).toList()
        : List.of();
  }

  /** The schemas as parsed identifiers. */
  public List<String> schemaNames() {
    return mode == Mode.SCHEMAS
        ? names.stream().map(SqlIdentifiers::parseIdentifier).toList()
        : List.of();
  }
}
