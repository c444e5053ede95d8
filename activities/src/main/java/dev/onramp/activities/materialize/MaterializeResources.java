package dev.onramp.activities.materialize;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Materialize resources in the order an onboarding converges them; planning and drift walk it
 * forwards, offboarding backwards (source, connection, secret, cluster). A new resource is one
 * class and one line in {@link #all}.
 */
final class MaterializeResources {
  final ClusterResource cluster = new ClusterResource();
  final MzSecretResource secret = new MzSecretResource();
  final ConnectionResource connection;
  final SourceResource source = new SourceResource();
  private final List<MaterializeResource<?>> all;

  MaterializeResources(String upstreamCertificateAuthority) {
    this.connection = new ConnectionResource(upstreamCertificateAuthority);
    this.all = List.of(cluster, secret, connection, source);
  }

  List<PlannedChange> plan(Connection c, MaterializePlan plan) throws SQLException {
    List<PlannedChange> out = new ArrayList<>();
    for (MaterializeResource<?> r : all) {
      r.plan(c, plan).ifPresent(out::add);
    }
    return out;
  }

  List<Finding> drift(Connection c, MaterializePlan plan) throws SQLException {
    List<Finding> out = new ArrayList<>();
    for (MaterializeResource<?> r : all) {
      out.addAll(r.drift(c, plan));
    }
    return out;
  }

  /** Every entry of a Materialize kind, in reverse order of convergence; others are ignored. */
  List<Removal> remove(Connection c, List<LedgerEntry> entries) throws SQLException {
    List<Removal> out = new ArrayList<>();
    List<MaterializeResource<?>> backwards = new ArrayList<>(all);
    java.util.Collections.reverse(backwards);
    // Within a kind, the later entry first too: a PostgreSQL connection goes before the SSH
    // TUNNEL / AWS PRIVATELINK connection it uses (recorded earlier, at the network step).
    List<LedgerEntry> latestFirst = new ArrayList<>(entries);
    java.util.Collections.reverse(latestFirst);
    for (MaterializeResource<?> r : backwards) {
      for (LedgerEntry e : latestFirst) {
        if (e.kind() == r.kind()) {
          out.add(r.remove(c, e));
        }
      }
    }
    return out;
  }
}
