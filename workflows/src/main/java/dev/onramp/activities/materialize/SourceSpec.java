package dev.onramp.activities.materialize;

import dev.onramp.workflows.TableSelection;

/** A Materialize PostgreSQL source over a publication. */
public record SourceSpec(
    String name,
    String cluster,
    String connection,
    String publication,
    TableSelection tables,
    SourceSyntax syntax) {}
