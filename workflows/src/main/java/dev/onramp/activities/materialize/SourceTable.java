package dev.onramp.activities.materialize;

import dev.onramp.workflows.QualifiedName;

/**
 * One upstream table a source ingests and the name of the Materialize relation (subsource, or table
 * from source) it lands in.
 *
 * <p>Materialize names a subsource after its table by default, in the schema the source is created
 * in, so two databases that both have an {@code orders} table could not both be onboarded into one
 * schema ({@code catalog item 'orders' already exists}). onramp therefore names every relation
 * after its source: {@code <source>_<table>} for tables in {@code public}, {@code
 * <source>_<schema>_<table>} otherwise (see README, "Names in Materialize").
 */
public record SourceTable(QualifiedName upstream, String relation) {

  public static SourceTable named(String source, QualifiedName upstream) {
    String prefix =
        "public".equals(upstream.schema()) ? source + "_" : source + "_" + upstream.schema() + "_";
    return new SourceTable(upstream, prefix + upstream.name());
  }
}
