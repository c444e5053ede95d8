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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Materialize cluster to hold the source: created with the wanted size and marked as onramp's
 * when missing, reused whatever its size and whoever made it (right-sizing may have changed the
 * size on purpose, and someone else's cluster may hold onramp's source).
 */
final class ClusterResource implements MaterializeResource<ClusterResource.Observed> {
  private static final Logger log = LoggerFactory.getLogger(ClusterResource.class);

  @Override
  public ResourceKind kind() {
    return ResourceKind.MZ_CLUSTER;
  }

  /** The cluster's id, size and replication factor, or null. */
  record Observed(String id, String size, String replicationFactor) {}

  @Override
  public Observed inspect(Connection c, MaterializePlan plan) throws SQLException {
    return plan.cluster() == null ? null : find(c, plan.cluster());
  }

  private static Observed find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, size, replication_factor::text FROM mz_catalog.mz_clusters WHERE name ="
                + " ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Observed(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
      }
    }
  }

  LedgerEntry converge(Connection c, ClusterSpec spec) throws SQLException {
    Observed found = find(c, spec.name());
    if (found != null) {
      // An unmarked cluster is never adopted here: preflight lets someone else's cluster hold the
      // source, so a retry cannot tell it from one an interrupted attempt created.
      return LedgerEntry.reused(kind(), spec.name()).withAttributes(size(found.size()));
    }
    try {
      Sql.exec(
          c,
          "CREATE CLUSTER "
              + SqlIdentifiers.quote(spec.name())
              + " (SIZE = "
              + Sql.literal(spec.size())
              + ")");
    } catch (SQLException e) {
      // An overlapping attempt created it meanwhile (and marks it).
      Observed meanwhile = find(c, spec.name());
      if (meanwhile == null) {
        throw e;
      }
      return LedgerEntry.reused(kind(), spec.name()).withAttributes(size(meanwhile.size()));
    }
    MzOwnership.mark(c, MzKind.CLUSTER, spec.name());
    log.info("created Materialize cluster {} ({})", spec.name(), spec.size());
    return LedgerEntry.created(kind(), spec.name()).withAttributes(size(spec.size()));
  }

  private static Map<String, String> size(String size) {
    return size == null ? Map.of() : Map.of("size", size);
  }

  @Override
  public Optional<PlannedChange> plan(Connection c, MaterializePlan plan) throws SQLException {
    if (plan.cluster() == null) {
      return Optional.empty();
    }
    Observed found = inspect(c, plan);
    if (found != null) {
      return Optional.of(
          new PlannedChange(
              kind(),
              plan.cluster(),
              PlanAction.REUSE,
              "cluster exists (size " + found.size() + "); it is reused as it is"));
    }
    return Optional.of(
        new PlannedChange(
            kind(),
            plan.cluster(),
            PlanAction.CREATE,
            "no such cluster; CREATE CLUSTER "
                + SqlIdentifiers.quote(plan.cluster())
                + (plan.clusterSize() == null ? "" : " (SIZE = '" + plan.clusterSize() + "')")));
  }

  @Override
  public List<Finding> drift(Connection c, MaterializePlan plan) throws SQLException {
    if (plan.cluster() == null) {
      return List.of();
    }
    String quoted = SqlIdentifiers.quote(plan.cluster());
    Observed found = inspect(c, plan);
    List<Finding> out = new ArrayList<>();
    if (found == null) {
      // Materialize drops a cluster only with CASCADE, which takes the source with it.
      out.add(
          new Finding(
              Severity.CRITICAL,
              kind(),
              plan.cluster(),
              "cluster " + plan.cluster() + " does not exist, so the source cannot run",
              "run the onboarding again: it recreates the cluster and the source"));
      return out;
    }
    if ("0".equals(found.replicationFactor())) {
      out.add(
          new Finding(
              Severity.CRITICAL,
              kind(),
              plan.cluster(),
              "cluster " + plan.cluster() + " has no replicas, so its sources do not ingest",
              "ALTER CLUSTER " + quoted + " SET (REPLICATION FACTOR = 1)"));
    }
    if (plan.clusterSize() != null && !plan.clusterSize().equals(found.size())) {
      out.add(
          new Finding(
              Severity.INFO,
              kind(),
              plan.cluster(),
              "cluster "
                  + plan.cluster()
                  + " is size "
                  + found.size()
                  + ", onboarding gave it "
                  + plan.clusterSize(),
              "if the resize was not intended: ALTER CLUSTER "
                  + quoted
                  + " SET (SIZE = '"
                  + plan.clusterSize()
                  + "')"));
    }
    return out;
  }

  @Override
  public Removal remove(Connection c, LedgerEntry entry) throws SQLException {
    String name = entry.identifier();
    Optional<Removal> kept =
        MaterializeResource.ownedOrKept(
            entry, MzOwnership.existing(c, MzKind.CLUSTER, name), MzKind.CLUSTER);
    if (kept.isPresent()) {
      return kept.get();
    }
    // Another onboarding's source may share the cluster: never CASCADE through it.
    List<String> holds =
        Sql.column(
            c,
            "SELECT s.name FROM mz_catalog.mz_sources s JOIN mz_catalog.mz_clusters cl ON cl.id ="
                + " s.cluster_id WHERE cl.name = ? ORDER BY 1",
            name);
    if (!holds.isEmpty()) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "cluster "
              + name
              + " still holds "
              + String.join(", ", holds)
              + " (a source kept above, or another onboarding's); left in place, since DROP"
              + " CLUSTER ... CASCADE would drop them too. Once they are gone: DROP CLUSTER "
              + SqlIdentifiers.quote(name));
    }
    return MaterializeResource.drop(
        c, entry, "DROP CLUSTER " + SqlIdentifiers.quote(name), "cluster " + name);
  }
}
