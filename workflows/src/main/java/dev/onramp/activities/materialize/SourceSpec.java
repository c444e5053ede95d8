package dev.onramp.activities.materialize;

import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.TableSelection;
import java.util.List;

/**
 * A Materialize PostgreSQL source over a publication. {@code relations} lists the upstream tables
 * and the names of their relations ({@link SourceTable#named}); null (histories recorded before
 * relations were named per source) means Materialize's default names and the selection as given.
 */
public record SourceSpec(
    String name,
    String cluster,
    String connection,
    String publication,
    TableSelection tables,
    SourceSyntax syntax,
    List<SourceTable> relations) {

  public SourceSpec(
      String name,
      String cluster,
      String connection,
      String publication,
      TableSelection tables,
      SourceSyntax syntax) {
    this(name, cluster, connection, publication, tables, syntax, null);
  }

  /** The spec with every given upstream table named after this source. */
  public SourceSpec withRelationsFor(List<QualifiedName> upstreamTables) {
    return new SourceSpec(
        name,
        cluster,
        connection,
        publication,
        tables,
        syntax,
        upstreamTables.stream().map(t -> SourceTable.named(name, t)).toList());
  }
}
