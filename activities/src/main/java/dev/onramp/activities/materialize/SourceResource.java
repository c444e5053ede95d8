package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL source and the relations it feeds ({@code <source>_<table>}, see {@link
 * SourceTable}). Its ledger entry carries the upstream replication slot ({@code
 * mz_internal.mz_postgres_sources.replication_slot}), which DROP SOURCE drops upstream and which is
 * left to drop by hand when the upstream was unreachable then.
 */
final class SourceResource implements MaterializeResource<SourceResource.Observed> {
  private static final Logger log = LoggerFactory.getLogger(SourceResource.class);

  @Override
  public ResourceKind kind() {
    return ResourceKind.MZ_SOURCE;
  }

  /** The source's id, and the planned relations it does not feed. */
  record Observed(String id, List<SourceTable> missing) {}

  @Override
  public Observed inspect(Connection c, MaterializePlan plan) throws SQLException {
    String id = sourceId(c, plan.source().name());
    return id == null ? null : new Observed(id, SourceRelations.missing(c, id, plan.source()));
  }

  /** The source and its relations, with the ledger entry in {@link SourceInfo#entry()}. */
  SourceInfo converge(Connection c, SourceSpec spec, SourceSyntax syntax) throws SQLException {
    if (spec.cluster() != null) {
      Sql.exec(c, "SET CLUSTER = " + SqlIdentifiers.quote(spec.cluster()));
    }
    boolean created = false;
    if (Sql.exists(c, "SELECT 1 FROM mz_catalog.mz_sources WHERE name = ?", spec.name())) {
      MzOwnership.refuseForeignUnlessOurs(c, MzKind.SOURCE, spec.name(), "add tables to it");
    }
    String id = SourceDefinition.existing(c, spec);
    if (id == null) {
      try {
        Sql.exec(c, SourceDefinition.createStatement(spec, syntax));
        MzOwnership.mark(c, MzKind.SOURCE, spec.name());
        created = true;
        log.info("created Materialize source {} ({})", spec.name(), syntax);
      } catch (SQLException e) {
        // An overlapping attempt created it meanwhile: reuse it if it is the same and onramp's.
        if (!MaterializeClient.alreadyExists(e) || SourceDefinition.existing(c, spec) == null) {
          throw e;
        }
        MzOwnership.refuseForeignUnlessOurs(c, MzKind.SOURCE, spec.name(), "add tables to it");
      }
      id = Sql.single(c, "SELECT id FROM mz_catalog.mz_sources WHERE name = ?", spec.name());
    }
    List<String> before = SourceRelations.names(c, id, syntax);
    List<String> added = SourceRelations.addMissing(c, id, spec, syntax);
    if (!added.isEmpty()) {
      log.info("source {}: added {}", spec.name(), added);
    }
    List<String> relations = SourceRelations.names(c, id, syntax);
    LedgerEntry entry =
        created
            ? LedgerEntry.created(kind(), spec.name())
            : added.isEmpty()
                ? LedgerEntry.reused(kind(), spec.name())
                : LedgerEntry.changed(
                    kind(), spec.name(), "relations " + SourceRelations.encode(before));
    return new SourceInfo(
        spec.name(), relations, created, withAttributes(c, id, spec, relations, entry));
  }

  /**
   * The entry with what removal needs: the replication slot, the relations the source feeds now
   * (offboarding keeps a source that feeds more than its ledger lists), connection, publication.
   */
  static LedgerEntry withAttributes(
      Connection c, String id, SourceSpec spec, List<String> relations, LedgerEntry entry)
      throws SQLException {
    Map<String, String> attributes = new LinkedHashMap<>();
    String slot =
        Sql.single(
            c, "SELECT replication_slot FROM mz_internal.mz_postgres_sources WHERE id = ?", id);
    if (slot != null) {
      attributes.put("replicationSlot", slot);
    }
    attributes.put("relations", SourceRelations.encode(relations));
    attributes.put("connection", spec.connection());
    attributes.put("publication", spec.publication());
    if (spec.cluster() != null) {
      attributes.put("cluster", spec.cluster());
    }
    return entry.withAttributes(attributes);
  }

  static String sourceId(Connection c, String name) throws SQLException {
    return Sql.single(
        c, "SELECT id FROM mz_catalog.mz_sources WHERE name = ? AND type = 'postgres'", name);
  }

  private static SourceSyntax syntax(Connection c, SourceSpec spec) throws SQLException {
    return spec.syntax() != null
        ? spec.syntax()
        : MaterializeDescription.syntaxOf(Sql.single(c, "SELECT mz_version()"));
  }

  @Override
  public Optional<PlannedChange> plan(Connection c, MaterializePlan plan) throws SQLException {
    SourceSpec spec = plan.source();
    Observed found = inspect(c, plan);
    if (found == null) {
      String relations =
          spec.relations() == null
              ? "the tables selected ("
                  + spec.tables().mode().name().toLowerCase(java.util.Locale.ROOT)
                  + (spec.tables().names().isEmpty() ? "" : " " + spec.tables().names())
                  + ")"
              : "relations "
                  + SourceRelations.encode(
                      spec.relations().stream().map(SourceTable::relation).toList());
      return Optional.of(
          new PlannedChange(
              kind(),
              spec.name(),
              PlanAction.CREATE,
              "no such source; CREATE SOURCE over publication "
                  + spec.publication()
                  + " feeding "
                  + relations
                  + " (Materialize creates a replication slot upstream)"));
    }
    List<SourceTable> missing = found.missing();
    if (!missing.isEmpty()) {
      return Optional.of(
          new PlannedChange(
              kind(),
              spec.name(),
              PlanAction.CHANGE,
              "source exists; adds "
                  + SourceRelations.encode(missing.stream().map(SourceTable::relation).toList())));
    }
    return Optional.of(
        new PlannedChange(
            kind(), spec.name(), PlanAction.REUSE, "source exists and feeds every table"));
  }

  @Override
  public List<Finding> drift(Connection c, MaterializePlan plan) throws SQLException {
    SourceSpec spec = plan.source();
    String quoted = SqlIdentifiers.quote(spec.name());
    Observed found = inspect(c, plan);
    if (found == null) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              spec.name(),
              "source " + spec.name() + " does not exist; nothing is ingested",
              "run the onboarding again: it recreates the source"));
    }
    List<Finding> out = new ArrayList<>();
    SourceObservation o = SourceObservation.read(c, spec.name());
    String status = o.status().status();
    if (!"running".equals(status)) {
      boolean broken = List.of("stalled", "failed", "dropped").contains(status);
      out.add(
          new Finding(
              broken ? Severity.CRITICAL : Severity.WARNING,
              kind(),
              spec.name(),
              "source "
                  + spec.name()
                  + " is "
                  + status
                  + (o.error() == null ? "" : ": " + o.error()),
              broken
                  ? SourceErrors.fix(o.error(), plan.connection(), spec.name())
                  : "wait: a source that stays "
                      + status
                      + " for minutes has a problem; read"
                      + " mz_internal.mz_source_status_history"));
    }
    lag(c, spec.name()).ifPresent(out::add);
    SourceSyntax syntax = syntax(c, spec);
    for (SourceTable r : found.missing()) {
      out.add(
          new Finding(
              Severity.WARNING,
              kind(),
              spec.name(),
              "table " + r.upstream() + " is not ingested (relation " + r.relation() + " missing)",
              syntax == SourceSyntax.SUBSOURCES
                  ? "ALTER SOURCE " + quoted + " ADD SUBSOURCE " + SourceDefinition.as(r)
                  : "CREATE TABLE "
                      + SqlIdentifiers.quote(r.relation())
                      + " FROM SOURCE "
                      + quoted
                      + " (REFERENCE "
                      + r.upstream().quoted()
                      + ")"));
    }
    return out;
  }

  /**
   * A source more than this far behind its upstream (bytes of WAL, {@code offset_known -
   * offset_committed} in {@code mz_internal.mz_source_statistics}) is not keeping up, and the slot
   * retains at least as much WAL upstream.
   */
  static final long LAG_WARNING_BYTES = 256L * 1024 * 1024;

  private static Optional<Finding> lag(Connection c, String source) throws SQLException {
    String lag =
        Sql.single(
            c,
            "SELECT (st.offset_known - st.offset_committed)::text FROM mz_catalog.mz_sources s"
                + " JOIN mz_internal.mz_source_statistics st ON st.id = s.id WHERE s.name = ?",
            source);
    if (lag == null || new java.math.BigDecimal(lag).longValue() <= LAG_WARNING_BYTES) {
      return Optional.empty();
    }
    long mb = new java.math.BigDecimal(lag).longValue() / (1024 * 1024);
    return Optional.of(
        new Finding(
            Severity.WARNING,
            ResourceKind.MZ_SOURCE,
            source,
            "source "
                + source
                + " is "
                + mb
                + " MB of WAL behind its upstream (offset_known -"
                + " offset_committed in mz_internal.mz_source_statistics)",
            "give its cluster more resources (ALTER CLUSTER ... SET (SIZE = ...)), or find what"
                + " holds it back in mz_internal.mz_source_status_history"));
  }

  @Override
  public Removal remove(Connection c, LedgerEntry entry) throws SQLException {
    String name = entry.identifier();
    MzOwnership.Marked found = MzOwnership.existing(c, MzKind.SOURCE, name);
    Optional<Removal> kept = MaterializeResource.ownedOrKept(entry, found, MzKind.SOURCE);
    if (kept.isPresent()) {
      return kept.get();
    }
    String quoted = SqlIdentifiers.quote(name);
    List<String> foreign =
        SourceRelations.notMadeByOnboarding(c, found.id(), entry.attribute("relations"));
    if (!foreign.isEmpty()) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "source "
              + name
              + " now also feeds what onboarding did not make: "
              + String.join(", ", foreign)
              + "; left in place (DROP SOURCE ... CASCADE would drop those too). Once they are"
              + " gone: DROP SOURCE "
              + quoted
              + " CASCADE");
    }
    String slot =
        Sql.single(
            c,
            "SELECT replication_slot FROM mz_internal.mz_postgres_sources WHERE id = ?",
            found.id());
    Removal dropped =
        MaterializeResource.drop(c, entry, "DROP SOURCE " + quoted + " CASCADE", "source " + name);
    if (dropped.outcome() != RemovalOutcome.REMOVED || slot == null) {
      return dropped;
    }
    // Materialize drops the slot upstream as part of DROP SOURCE, but only when it can reach the
    // upstream then (MZ:src/postgres-util/src/replication.rs drop_replication_slots).
    return Removal.of(
        entry,
        RemovalOutcome.REMOVED,
        "dropped source "
            + name
            + " and its relations; Materialize drops replication slot "
            + slot
            + " upstream with it (if the upstream was unreachable, run there: SELECT"
            + " pg_drop_replication_slot('"
            + slot
            + "'))");
  }
}
