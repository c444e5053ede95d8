package dev.onramp.activities.materialize;

/**
 * The Materialize objects onramp manages, with the catalog relation that names them and the {@code
 * object_type} Materialize records for their comments in {@code mz_internal.mz_comments}.
 */
enum MzKind {
  CLUSTER("mz_catalog.mz_clusters", "cluster"),
  SECRET("mz_catalog.mz_secrets", "secret"),
  CONNECTION("mz_catalog.mz_connections", "connection"),
  SOURCE("mz_catalog.mz_sources", "source");

  final String relation;
  final String type;

  MzKind(String relation, String type) {
    this.relation = relation;
    this.type = type;
  }

  /** The keyword of COMMENT ON and DROP. */
  String keyword() {
    return name();
  }
}
