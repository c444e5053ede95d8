package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relations (subsources, or tables from source on v26+) a source feeds, and adding more. */
final class SourceRelations {
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")*)\"");

  private SourceRelations() {}

  /** Relation names as one attribute: each quoted once, comma separated. */
  static String encode(List<String> names) {
    return String.join(", ", names.stream().map(SqlIdentifiers::quote).toList());
  }

  static List<String> decode(String encoded) {
    List<String> out = new ArrayList<>();
    Matcher m = QUOTED.matcher(encoded == null ? "" : encoded);
    while (m.find()) {
      out.add(m.group(1).replace("\"\"", "\""));
    }
    return out;
  }

  /**
   * The ids of a source's subsources and tables (two parameters, both the source id). Materialize
   * has recorded the dependency in both directions over time, and v26 links tables through
   * mz_tables.source_id.
   */
  static String outputIds() {
    return "SELECT object_id FROM mz_internal.mz_object_dependencies WHERE referenced_object_id ="
        + " ? UNION SELECT referenced_object_id FROM mz_internal.mz_object_dependencies WHERE"
        + " object_id = ?";
  }

  /** The names of the source's subsources and (new syntax) tables, sorted. */
  static List<String> names(Connection c, String id, SourceSyntax syntax) throws SQLException {
    List<String> out =
        new ArrayList<>(
            Sql.column(
                c,
                "SELECT name FROM mz_catalog.mz_sources WHERE type = 'subsource' AND id IN ("
                    + outputIds()
                    + ") ORDER BY name",
                id,
                id));
    if (syntax == SourceSyntax.TABLES_FROM_SOURCE) {
      out.addAll(
          Sql.column(
              c, "SELECT name FROM mz_catalog.mz_tables WHERE source_id = ? ORDER BY name", id));
    }
    return out;
  }

  /** The upstream tables the source ingests now. */
  static Set<QualifiedName> ingested(Connection c, String id) throws SQLException {
    Set<QualifiedName> have = new LinkedHashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT schema_name, table_name FROM mz_internal.mz_postgres_source_tables WHERE id IN"
                + " ("
                + outputIds()
                + ")")) {
      ps.setString(1, id);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          have.add(new QualifiedName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return have;
  }

  /** The planned relations whose upstream table the source does not ingest yet. */
  static List<SourceTable> missing(Connection c, String id, SourceSpec spec) throws SQLException {
    Set<QualifiedName> have = ingested(c, id);
    return spec.relations() == null
        ? List.of()
        : spec.relations().stream().filter(r -> !have.contains(r.upstream())).toList();
  }

  /**
   * Adds what the source should ingest and does not yet; returns the names of what it added (empty:
   * nothing to add).
   */
  static List<String> addMissing(Connection c, String id, SourceSpec spec, SourceSyntax syntax)
      throws SQLException {
    if (spec.relations() != null) {
      return addMissingRelations(c, spec, syntax, missing(c, id, spec));
    }
    Set<QualifiedName> have = ingested(c, id);
    List<QualifiedName> want = new ArrayList<>();
    TableSelection t = spec.tables();
    if (t.mode() == TableSelection.Mode.TABLES) {
      want.addAll(t.tableNames());
    } else if (syntax == SourceSyntax.TABLES_FROM_SOURCE) {
      // The FOR ALL TABLES / FOR SCHEMAS of the new syntax: every reference the source offers.
      Set<String> schemas = new LinkedHashSet<>(t.schemaNames());
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, name FROM mz_internal.mz_source_references WHERE source_id = ?"
                  + " ORDER BY 1, 2")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (t.mode() == TableSelection.Mode.ALL_TABLES || schemas.contains(rs.getString(1))) {
              want.add(new QualifiedName(rs.getString(1), rs.getString(2)));
            }
          }
        }
      }
    }
    List<QualifiedName> missing = want.stream().filter(q -> !have.contains(q)).toList();
    if (missing.isEmpty()) {
      return List.of();
    }
    if (syntax == SourceSyntax.SUBSOURCES) {
      Sql.exec(
          c,
          "ALTER SOURCE "
              + SqlIdentifiers.quote(spec.name())
              + " ADD SUBSOURCE "
              + String.join(", ", missing.stream().map(QualifiedName::quoted).toList()));
    } else {
      for (QualifiedName q : missing) {
        Sql.exec(c, createTable(q.name(), spec.name(), q));
      }
    }
    return missing.stream().map(QualifiedName::name).toList();
  }

  private static List<String> addMissingRelations(
      Connection c, SourceSpec spec, SourceSyntax syntax, List<SourceTable> missing)
      throws SQLException {
    if (missing.isEmpty()) {
      return List.of();
    }
    List<String> names = missing.stream().map(SourceTable::relation).toList();
    if (syntax == SourceSyntax.SUBSOURCES) {
      try {
        Sql.exec(
            c,
            "ALTER SOURCE "
                + SqlIdentifiers.quote(spec.name())
                + " ADD SUBSOURCE "
                + String.join(", ", missing.stream().map(SourceDefinition::as).toList()));
      } catch (SQLException e) {
        // An overlapping attempt added them meanwhile: converge if the source now has them all.
        String id =
            Sql.single(c, "SELECT id FROM mz_catalog.mz_sources WHERE name = ?", spec.name());
        if (!MaterializeClient.alreadyExists(e) || !names(c, id, syntax).containsAll(names)) {
          throw e;
        }
      }
    } else {
      for (SourceTable r : missing) {
        try {
          Sql.exec(c, createTable(r.relation(), spec.name(), r.upstream()));
        } catch (SQLException e) {
          // An overlapping attempt created this table from the same source: converge.
          if (!MaterializeClient.alreadyExists(e)
              || !Sql.exists(
                  c,
                  "SELECT 1 FROM mz_catalog.mz_tables t JOIN mz_catalog.mz_sources s ON s.id ="
                      + " t.source_id WHERE t.name = ? AND s.name = ?",
                  r.relation(),
                  spec.name())) {
            throw e;
          }
        }
      }
    }
    return names;
  }

  private static String createTable(String relation, String source, QualifiedName upstream) {
    return "CREATE TABLE "
        + SqlIdentifiers.quote(relation)
        + " FROM SOURCE "
        + SqlIdentifiers.quote(source)
        + " (REFERENCE "
        + upstream.quoted()
        + ")";
  }

  /**
   * What the source feeds that onboarding did not make: relations added since ({@code made} is the
   * ledger's relations attribute; null: not checked), and views, indexes or sinks someone built on
   * a relation, which DROP SOURCE ... CASCADE would drop too.
   */
  static List<String> notMadeByOnboarding(Connection c, String sourceId, String made)
      throws SQLException {
    List<String> own = new ArrayList<>(List.of(sourceId));
    own.addAll(
        Sql.column(
            c,
            outputIds() + " UNION SELECT id FROM mz_catalog.mz_tables WHERE source_id = ?",
            sourceId,
            sourceId,
            sourceId));
    List<String> foreign = new ArrayList<>();
    List<String> madeNames = decode(made);
    for (String id : own) {
      if (id.equals(sourceId)) {
        continue;
      }
      String[] relation = relation(c, id);
      if (relation == null) {
        continue;
      }
      if (!"progress".equals(relation[1]) && made != null && !madeNames.contains(relation[0])) {
        foreign.add(relation[0] + " (added since onboarding)");
      }
      for (String dependent :
          Sql.column(
              c,
              "SELECT object_id FROM mz_internal.mz_object_dependencies WHERE referenced_object_id"
                  + " = ?",
              id)) {
        if (!own.contains(dependent)) {
          foreign.add("catalog item " + dependent + " built on " + relation[0]);
        }
      }
    }
    return foreign;
  }

  /**
   * The name and type of one of the source's outputs (subsource, progress or table); null for what
   * the source itself depends on (its connection), which the dependency table lists alongside.
   */
  private static String[] relation(Connection c, String id) throws SQLException {
    String name =
        Sql.single(
            c,
            "SELECT name || ' ' || type FROM mz_catalog.mz_sources WHERE id = ? UNION ALL SELECT"
                + " name || ' table' FROM mz_catalog.mz_tables WHERE id = ?",
            id,
            id);
    if (name == null) {
      return null;
    }
    int space = name.lastIndexOf(' ');
    return new String[] {name.substring(0, space), name.substring(space + 1)};
  }
}
