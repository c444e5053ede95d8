package dev.onramp.activities.materialize;

import static dev.onramp.activities.materialize.ConnectionDefinition.show;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A PostgreSQL source's definition: the CREATE SOURCE a spec asks for, and the one that exists. */
final class SourceDefinition {
  private SourceDefinition() {}

  /**
   * The id of the source of this name after checking it is the same (a non-retryable {@code
   * MaterializeConflict} naming the difference otherwise), or null when there is none.
   */
  static String existing(Connection c, SourceSpec spec) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.id, s.type, cn.name, cl.name, s.create_sql FROM mz_catalog.mz_sources s"
                + " LEFT JOIN mz_catalog.mz_connections cn ON cn.id = s.connection_id"
                + " LEFT JOIN mz_catalog.mz_clusters cl ON cl.id = s.cluster_id"
                + " WHERE s.name = ?")) {
      ps.setString(1, spec.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String id = rs.getString(1);
        checkSame(spec, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
        return id;
      }
    }
  }

  private static void checkSame(
      SourceSpec spec, String type, String connection, String cluster, String createSql) {
    if (!"postgres".equals(type)) {
      throw MaterializeClient.conflict(
          spec.name()
              + " exists and is a "
              + type
              + " source, not a PostgreSQL source; use another name");
    }
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(connection, spec.connection())) {
      differences.add(
          "its connection is " + show(connection) + ", wanted " + show(spec.connection()));
    }
    if (spec.cluster() != null && !Objects.equals(cluster, spec.cluster())) {
      differences.add("its cluster is " + show(cluster) + ", wanted " + show(spec.cluster()));
    }
    String publication = ConnectionDefinition.string(createSql, "\\bPUBLICATION");
    if (publication != null && !publication.equals(spec.publication())) {
      differences.add(
          "its publication is " + show(publication) + ", wanted " + show(spec.publication()));
    }
    if (!differences.isEmpty()) {
      throw MaterializeClient.conflict(
          "source "
              + spec.name()
              + " already exists with a different definition: "
              + String.join("; ", differences)
              + ". Drop it (DROP SOURCE "
              + SqlIdentifiers.quote(spec.name())
              + " CASCADE) or choose another name");
    }
  }

  /** {@code CREATE SOURCE} in the form {@code syntax} expects. */
  static String createStatement(SourceSpec spec, SourceSyntax syntax) {
    StringBuilder sql =
        new StringBuilder("CREATE SOURCE ").append(SqlIdentifiers.quote(spec.name()));
    if (spec.cluster() != null) {
      sql.append(" IN CLUSTER ").append(SqlIdentifiers.quote(spec.cluster()));
    }
    sql.append(" FROM POSTGRES CONNECTION ")
        .append(SqlIdentifiers.quote(spec.connection()))
        .append(" (PUBLICATION ")
        .append(Sql.literal(spec.publication()))
        .append(")");
    if (syntax == SourceSyntax.SUBSOURCES && spec.relations() != null) {
      if (spec.relations().isEmpty()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TABLE_NOT_FOUND,
            "no tables to ingest into source " + spec.name() + "; the publication has none");
      }
      // Every subsource named after its source, so that two databases with the same table names
      // can both be onboarded (see SourceTable).
      sql.append(" FOR TABLES (")
          .append(String.join(", ", spec.relations().stream().map(SourceDefinition::as).toList()))
          .append(")");
    } else if (syntax == SourceSyntax.SUBSOURCES) {
      TableSelection t = spec.tables();
      switch (t.mode()) {
        case ALL_TABLES -> sql.append(" FOR ALL TABLES");
        case TABLES ->
            sql.append(" FOR TABLES (")
                .append(
                    String.join(", ", t.tableNames().stream().map(QualifiedName::quoted).toList()))
                .append(")");
        case SCHEMAS ->
            sql.append(" FOR SCHEMAS (")
                .append(
                    String.join(", ", t.schemaNames().stream().map(SqlIdentifiers::quote).toList()))
                .append(")");
      }
    }
    return sql.toString();
  }

  /** {@code upstream AS relation}, as FOR TABLES and ADD SUBSOURCE take it. */
  static String as(SourceTable r) {
    return r.upstream().quoted() + " AS " + SqlIdentifiers.quote(r.relation());
  }
}
