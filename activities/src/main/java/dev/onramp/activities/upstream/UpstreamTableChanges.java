package dev.onramp.activities.upstream;

import static dev.onramp.activities.upstream.UpstreamTables.display;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.tables.TableChangeOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code onramp tables add|drop} upstream, over the same resources onboarding converges. Runs
 * inside the caller's transaction (guarded as onboarding's is), so a refused table changes nothing.
 */
final class UpstreamTableChanges {
  private UpstreamTableChanges() {}

  /** Replica identity, publication and SELECT for the new tables, as onboarding converges them. */
  static TableChangeOutcome add(
      Connection c, UpstreamTableChange change, UpstreamConnector connector) throws SQLException {
    UpstreamTarget target = change.target();
    // The same refusals as onboarding's preflight: a table that does not exist, or that has no
    // REPLICA IDENTITY FULL and that the admin cannot ALTER, is named before anything changes.
    List<QualifiedName> tables =
        UpstreamPreflight.check(
                c,
                target,
                new TableSelection(
                    TableSelection.Mode.TABLES,
                    change.tables().stream().map(QualifiedName::quoted).toList()))
            .tableNames();
    if (!Sql.exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", change.publication())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UPSTREAM,
          "publication "
              + display(change.publication())
              + " does not exist in database "
              + target.database()
              + "; run the onboarding again (it recreates it), then add the tables");
    }
    if (!ReplicationRoleResource.inspect(c, change.replicationUser()).exists()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UPSTREAM,
          "replication user "
              + display(change.replicationUser())
              + " does not exist on "
              + target.dbInstanceId()
              + "; run the onboarding again (it recreates it), then add the tables");
    }
    UpstreamSession s =
        new UpstreamSession(
            c,
            target,
            TableSelection.Mode.TABLES,
            tables,
            change.publication(),
            change.replicationUser(),
            null,
            connector);
    PublicationResource.State before = PublicationResource.inspect(c, change.publication(), tables);
    s.ledger.addAll(new ReplicaIdentityResource().converge(s));
    s.ledger.addAll(new PublicationResource().converge(s));
    s.ledger.addAll(new GrantsResource().converge(s));
    return new TableChangeOutcome(
        s.ledger, List.of(), s.changes, before.allTables() ? List.of() : before.missing());
  }

  /**
   * Each table leaves onramp's publication, gets back the replica identity it had before onramp
   * (only while it is still the FULL onramp set) and loses SELECT where onramp granted it. Run
   * after Materialize stopped ingesting it: a table removed from the publication under a running
   * subsource is an irrecoverable source error (reference/materialize.md).
   */
  static TableChangeOutcome drop(Connection c, UpstreamTableChange change) throws SQLException {
    UpstreamSession s = UpstreamSession.forRemoval(c, change.target());
    List<Removal> out = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    for (QualifiedName t : change.tables()) {
      out.add(leavePublication(c, change.publication(), t, changes));
      LedgerEntry identity = latest(change.ledger(), ResourceKind.REPLICA_IDENTITY, display(t));
      if (identity != null) {
        Removal r = new ReplicaIdentityResource().remove(s, identity);
        out.add(r);
        if (r.outcome() == RemovalOutcome.RESTORED) {
          changes.add(r.message() + " on " + display(t));
        }
      }
      out.add(revokeSelect(c, change, t, changes));
    }
    return new TableChangeOutcome(List.of(), out, changes);
  }

  private static Removal leavePublication(
      Connection c, String publication, QualifiedName t, List<String> changes) throws SQLException {
    PublicationResource.State st = PublicationResource.inspect(c, publication, List.of(t));
    String what = display(t) + " in publication " + display(publication);
    if (!st.exists()) {
      return removal(
          ResourceKind.PUBLICATION,
          publication,
          RemovalOutcome.ALREADY_GONE,
          "publication " + display(publication) + " no longer exists");
    }
    if (st.allTables()) {
      return removal(
          ResourceKind.PUBLICATION,
          publication,
          RemovalOutcome.KEPT_NOT_OURS,
          "publication "
              + display(publication)
              + " is FOR ALL TABLES and keeps publishing "
              + display(t)
              + "; Materialize no longer ingests it");
    }
    if (!st.missing().isEmpty()) {
      return removal(
          ResourceKind.PUBLICATION,
          publication,
          RemovalOutcome.ALREADY_GONE,
          what + ": not published any more");
    }
    if (!st.onramps()) {
      return removal(
          ResourceKind.PUBLICATION,
          publication,
          RemovalOutcome.KEPT_NOT_OURS,
          "publication "
              + display(publication)
              + " is not onramp's; it keeps "
              + display(t)
              + " (its owner may run ALTER PUBLICATION "
              + SqlIdentifiers.quote(publication)
              + " DROP TABLE "
              + t.quoted()
              + ")");
    }
    UpstreamDdl.exec(
        c,
        "ALTER PUBLICATION " + SqlIdentifiers.quote(publication) + " DROP TABLE " + t.quoted(),
        "ALTER PUBLICATION",
        display(t));
    changes.add("removed " + display(t) + " from publication " + publication);
    return removal(
        ResourceKind.PUBLICATION,
        publication,
        RemovalOutcome.REMOVED,
        "removed " + display(t) + " from publication " + publication);
  }

  /** Revokes SELECT on the table only when an entry of the ledger says onramp granted it. */
  private static Removal revokeSelect(
      Connection c, UpstreamTableChange change, QualifiedName t, List<String> changes)
      throws SQLException {
    String user = change.replicationUser();
    String id = GrantsResource.identifier(user, change.target().database());
    Privilege select = Privilege.select(t);
    boolean granted =
        change.ledger().stream()
            .filter(e -> e.kind() == ResourceKind.GRANTS && e.outcome() != Outcome.REUSED)
            .anyMatch(
                e -> Privilege.parseAll(e.attribute(GrantsResource.GRANTED)).contains(select));
    if (!granted) {
      return removal(
          ResourceKind.GRANTS,
          id,
          RemovalOutcome.KEPT_NOT_OURS,
          "onramp did not grant SELECT on " + display(t) + " to " + user + "; left as it is");
    }
    if (!ReplicationRoleResource.inspect(c, user).exists()
        || !select.objectExists(c)
        || !select.heldBy(c, user)) {
      return removal(
          ResourceKind.GRANTS,
          id,
          RemovalOutcome.ALREADY_GONE,
          user + " no longer holds SELECT on " + display(t));
    }
    UpstreamDdl.exec(
        c, select.revoke(change.target().database(), user), "REVOKE " + select.text(), display(t));
    changes.add("revoked SELECT on " + display(t) + " from " + user);
    return removal(
        ResourceKind.GRANTS,
        id,
        RemovalOutcome.REMOVED,
        "revoked SELECT on " + display(t) + " from " + user);
  }

  /** The newest entry of that kind and identifier (the ledger is oldest first). */
  private static LedgerEntry latest(List<LedgerEntry> ledger, ResourceKind kind, String id) {
    LedgerEntry found = null;
    for (LedgerEntry e : ledger) {
      if (e.kind() == kind && e.identifier().equals(id)) {
        found = e;
      }
    }
    return found;
  }

  private static Removal removal(
      ResourceKind kind, String identifier, RemovalOutcome outcome, String message) {
    return new Removal(kind, identifier, outcome, message);
  }
}
