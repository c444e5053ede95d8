package dev.onramp.activities.upstream;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the replication role needs to replicate the tables: replication (rds_replication on RDS, the
 * REPLICATION attribute elsewhere), CONNECT on the database, USAGE on each schema, SELECT on each
 * table. The ledger keeps what the role held before ({@code previous}) and what onramp granted
 * (attribute {@code granted}), so removal revokes exactly that.
 */
final class GrantsResource implements UpstreamResource {
  static final String GRANTED = "granted";

  @Override
  public ResourceKind kind() {
    return ResourceKind.GRANTS;
  }

  /** The privileges wanted, in the order they are granted. */
  static List<Privilege> wanted(Connection c, List<QualifiedName> tables) throws SQLException {
    List<Privilege> out = new ArrayList<>();
    out.add(
        Privilege.of(
            Sql.exists(c, "SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication'")
                ? Privilege.Type.RDS_REPLICATION
                : Privilege.Type.REPLICATION));
    out.add(Privilege.of(Privilege.Type.CONNECT));
    for (String schema : new LinkedHashSet<>(tables.stream().map(QualifiedName::schema).toList())) {
      out.add(Privilege.usage(schema));
    }
    for (QualifiedName t : tables) {
      out.add(Privilege.select(t));
    }
    return out;
  }

  /** Of {@code privileges}, those {@code user} does not hold (all of them if it does not exist). */
  static List<Privilege> lacking(Connection c, String user, List<Privilege> privileges)
      throws SQLException {
    if (!ReplicationRoleResource.inspect(c, user).exists()) {
      return privileges;
    }
    List<Privilege> out = new ArrayList<>();
    for (Privilege p : privileges) {
      if (!p.heldBy(c, user)) {
        out.add(p);
      }
    }
    return out;
  }

  static String identifier(String user, String database) {
    return user + " on " + database;
  }

  @Override
  public List<PlannedChange> plan(UpstreamSession s) throws SQLException {
    String id = identifier(s.user, s.target.database());
    if (!ReplicationRoleResource.inspect(s.c, s.user).exists()) {
      return List.of(
          new PlannedChange(kind(), id, PlanAction.CREATE, Privilege.join(wanted(s.c, s.tables))));
    }
    List<Privilege> missing = lacking(s.c, s.user, wanted(s.c, s.tables));
    return List.of(
        missing.isEmpty()
            ? new PlannedChange(kind(), id, PlanAction.REUSE, "holds every privilege it needs")
            : new PlannedChange(kind(), id, PlanAction.CHANGE, "grant " + Privilege.join(missing)));
  }

  @Override
  public List<LedgerEntry> converge(UpstreamSession s) throws SQLException {
    String id = identifier(s.user, s.target.database());
    List<Privilege> wanted = wanted(s.c, s.tables);
    List<Privilege> missing = lacking(s.c, s.user, wanted);
    List<Privilege> held = wanted.stream().filter(p -> !missing.contains(p)).toList();
    for (Privilege p : missing) {
      UpstreamDdl.exec(s.c, p.grant(s.target.database(), s.user), "GRANT " + p.text(), p.text());
      s.changes.add(p.granted(s.target.database(), s.user));
    }
    Map<String, String> attributes =
        Map.of("role", s.user, "database", s.target.database(), GRANTED, Privilege.join(missing));
    boolean roleCreatedNow =
        s.ledger.stream()
            .anyMatch(
                e ->
                    e.kind() == ResourceKind.REPLICATION_ROLE
                        && e.identifier().equals(s.user)
                        && e.outcome() == Outcome.CREATED);
    LedgerEntry entry =
        roleCreatedNow
            ? LedgerEntry.created(kind(), id)
            : missing.isEmpty()
                ? LedgerEntry.reused(kind(), id)
                : LedgerEntry.changed(kind(), id, Privilege.join(held));
    return List.of(entry.withAttributes(attributes));
  }

  @Override
  public List<Finding> drift(UpstreamSession s) throws SQLException {
    if (!ReplicationRoleResource.inspect(s.c, s.user).exists()) {
      return List.of(); // the role's own finding says so
    }
    String id = identifier(s.user, s.target.database());
    List<Finding> out = new ArrayList<>();
    for (Privilege p : lacking(s.c, s.user, wanted(s.c, s.tables))) {
      out.add(
          new Finding(
              Severity.CRITICAL,
              kind(),
              id,
              p.lacking(s.target.database(), s.user),
              p.grant(s.target.database(), s.user) + ";"));
    }
    return out;
  }

  @Override
  public Removal remove(UpstreamSession s, LedgerEntry entry) throws SQLException {
    String user = entry.attribute("role");
    if (user == null) {
      user = entry.identifier().substring(0, entry.identifier().lastIndexOf(" on "));
    }
    if (!ReplicationRoleResource.inspect(s.c, user).exists()) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "role no longer exists");
    }
    List<Privilege> granted = Privilege.parseAll(entry.attribute(GRANTED));
    if (entry.outcome() == Outcome.REUSED || granted.isEmpty()) {
      return Removal.of(
          entry, RemovalOutcome.KEPT_NOT_OURS, "onramp granted nothing; left as it is");
    }
    List<String> revoked = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    String elsewhere = ReplicationRoleResource.usedElsewhere(s.c, user);
    for (Privilege p : granted) {
      if (elsewhere != null && p.clusterWide()) {
        // Replication is the role's, not this database's: another onboarding still needs it.
        kept.add(p.text() + " (still used in database(s) " + elsewhere + ")");
        continue;
      }
      if (p.objectExists(s.c) && p.heldBy(s.c, user)) {
        UpstreamDdl.exec(s.c, p.revoke(s.target.database(), user), "REVOKE " + p.text(), p.text());
        revoked.add(p.text());
      }
    }
    String message =
        (revoked.isEmpty()
                ? "nothing onramp granted is held any more"
                : "revoked " + String.join("; ", revoked))
            + (kept.isEmpty() ? "" : "; kept " + String.join("; ", kept));
    return Removal.of(
        entry,
        entry.outcome() == Outcome.CHANGED ? RemovalOutcome.RESTORED : RemovalOutcome.REMOVED,
        message);
  }
}
