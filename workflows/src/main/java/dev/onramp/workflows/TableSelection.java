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

  /**
   * The named tables after {@code onramp tables add|drop}: added ones appended (once), dropped ones
   * left out, compared as parsed names (so {@code orders} and {@code public.orders} are one). Other
   * modes are returned as they are: their schemas or all tables cover the change.
   */
  public static TableSelection changed(
      TableSelection before,
      dev.onramp.workflows.tables.TableChangeAction action,
      List<QualifiedName> tables) {
    if (before.mode() != Mode.TABLES) {
      return before;
    }
    java.util.Map<QualifiedName, String> byName = new java.util.LinkedHashMap<>();
    for (String n : before.names()) {
      byName.putIfAbsent(SqlIdentifiers.parseQualified(n, "public"), n);
    }
    for (QualifiedName t : tables) {
      if (action == dev.onramp.workflows.tables.TableChangeAction.ADD) {
        byName.putIfAbsent(t, t.quoted()); // written so that it parses back to t
      } else {
        byName.remove(t);
      }
    }
    return new TableSelection(Mode.TABLES, List.copyOf(byName.values()));
  }

  /** The schemas as parsed identifiers. */
  public List<String> schemaNames() {
    return mode == Mode.SCHEMAS
        ? names.stream().map(SqlIdentifiers::parseIdentifier).toList()
        : List.of();
  }
}
