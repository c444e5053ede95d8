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
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Materialize secret holding the replication password. Its value goes into {@code CREATE/ALTER
 * SECRET} as a literal (Materialize takes no parameters in DDL) and never into a log line, a ledger
 * entry or an exception; Materialize never shows it back, so drift can only say that the secret
 * exists (a wrong value shows as the source's authentication error).
 */
final class MzSecretResource implements MaterializeResource<MzOwnership.Marked> {
  private static final Logger log = LoggerFactory.getLogger(MzSecretResource.class);

  @Override
  public ResourceKind kind() {
    return ResourceKind.MZ_SECRET;
  }

  @Override
  public MzOwnership.Marked inspect(Connection c, MaterializePlan plan) throws SQLException {
    return MzOwnership.existing(c, MzKind.SECRET, plan.connection().passwordSecret());
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    return Sql.exists(c, "SELECT 1 FROM mz_catalog.mz_secrets WHERE name = ?", name);
  }

  /**
   * CREATE SECRET (CREATED), or ALTER SECRET when it exists and is onramp's, so that a rotated
   * password lands (REUSED: the value cannot be read, so nothing tells a change from a rewrite).
   */
  LedgerEntry converge(Connection c, String name, String value) throws SQLException {
    if (!exists(c, name)) {
      try {
        Sql.exec(c, "CREATE SECRET " + SqlIdentifiers.quote(name) + " AS " + Sql.literal(value));
        MzOwnership.mark(c, MzKind.SECRET, name);
        log.info("created Materialize secret {}", name);
        return LedgerEntry.created(kind(), name);
      } catch (SQLException e) {
        // An overlapping attempt created it meanwhile: converge by updating it below (once it
        // carries onramp's mark). The statement text (with the value) is never part of e.
        if (!MaterializeClient.alreadyExists(e) || !exists(c, name)) {
          throw e;
        }
      }
    }
    MzOwnership.refuseForeignUnlessOurs(c, MzKind.SECRET, name, "change its value");
    Sql.exec(c, "ALTER SECRET " + SqlIdentifiers.quote(name) + " AS " + Sql.literal(value));
    return LedgerEntry.reused(kind(), name);
  }

  @Override
  public Optional<PlannedChange> plan(Connection c, MaterializePlan plan) throws SQLException {
    String name = plan.connection().passwordSecret();
    return Optional.of(
        inspect(c, plan) != null
            ? new PlannedChange(
                kind(),
                name,
                PlanAction.REUSE,
                "secret exists and is onramp's; its value is set again from the replication"
                    + " password")
            : new PlannedChange(
                kind(),
                name,
                PlanAction.CREATE,
                "no such secret; CREATE SECRET " + SqlIdentifiers.quote(name)));
  }

  @Override
  public List<Finding> drift(Connection c, MaterializePlan plan) throws SQLException {
    String name = plan.connection().passwordSecret();
    if (inspect(c, plan) != null) {
      return List.of();
    }
    return List.of(
        new Finding(
            Severity.CRITICAL,
            kind(),
            name,
            "secret "
                + name
                + " does not exist, so connection "
                + plan.connection().name()
                + " cannot log in",
            "run the onboarding again: it recreates the secret from the replication password"));
  }

  @Override
  public Removal remove(Connection c, LedgerEntry entry) throws SQLException {
    String name = entry.identifier();
    MzOwnership.Marked found = MzOwnership.existing(c, MzKind.SECRET, name);
    Optional<Removal> kept = MaterializeResource.ownedOrKept(entry, found, MzKind.SECRET);
    if (kept.isPresent()) {
      return kept.get();
    }
    List<String> users =
        Sql.column(
            c,
            "SELECT cn.name FROM mz_internal.mz_object_dependencies d JOIN"
                + " mz_catalog.mz_connections cn ON cn.id = d.object_id WHERE"
                + " d.referenced_object_id = ? ORDER BY 1",
            found.id());
    if (!users.isEmpty()) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "secret "
              + name
              + " is now used by connection "
              + String.join(", ", users)
              + ", which offboarding does not remove; left in place. Once unused: DROP SECRET "
              + SqlIdentifiers.quote(name));
    }
    return MaterializeResource.drop(
        c, entry, "DROP SECRET " + SqlIdentifiers.quote(name), "secret " + name);
  }
}
