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
 * The PostgreSQL connection to the upstream, validated by Materialize on create. Its ledger entry
 * records the definition (names only, never the password), so offboarding can tell a connection
 * someone altered since from the one onramp made.
 */
final class ConnectionResource implements MaterializeResource<Optional<String>> {
  private static final Logger log = LoggerFactory.getLogger(ConnectionResource.class);

  private final String upstreamCertificateAuthority;

  ConnectionResource(String upstreamCertificateAuthority) {
    this.upstreamCertificateAuthority = upstreamCertificateAuthority;
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.MZ_CONNECTION;
  }

  /**
   * How the connection of the plan's name differs from the wanted one: null when there is none,
   * empty when it is as wanted, otherwise the difference as a sentence naming the fix.
   */
  @Override
  public Optional<String> inspect(Connection c, MaterializePlan plan) throws SQLException {
    return ConnectionDefinition.problem(c, plan.connection());
  }

  LedgerEntry converge(Connection c, ConnectionSpec spec) throws SQLException {
    Map<String, String> definition = attributes(ConnectionDefinition.wanted(spec));
    if (Sql.exists(c, "SELECT 1 FROM mz_catalog.mz_connections WHERE name = ?", spec.name())) {
      MzOwnership.refuseForeignUnlessOurs(c, MzKind.CONNECTION, spec.name(), "take it over");
    }
    Optional<String> problem = ConnectionDefinition.problem(c, spec);
    if (problem != null) {
      if (problem.isPresent()) {
        throw MaterializeClient.conflict(problem.get());
      }
      return LedgerEntry.reused(kind(), spec.name()).withAttributes(definition);
    }
    try {
      // Validated on create: Materialize checks the upstream before it accepts the connection.
      Sql.exec(c, ConnectionDefinition.createStatement(spec, upstreamCertificateAuthority));
      MzOwnership.mark(c, MzKind.CONNECTION, spec.name());
    } catch (SQLException e) {
      // An overlapping attempt created it meanwhile: reuse it if it is the same and onramp's.
      Optional<String> found =
          MaterializeClient.alreadyExists(e) ? ConnectionDefinition.problem(c, spec) : null;
      if (found == null) {
        throw e;
      }
      MzOwnership.refuseForeignUnlessOurs(c, MzKind.CONNECTION, spec.name(), "take it over");
      if (found.isPresent()) {
        throw MaterializeClient.conflict(found.get());
      }
      return LedgerEntry.reused(kind(), spec.name()).withAttributes(definition);
    }
    log.info("created Materialize connection {} to {}:{}", spec.name(), spec.host(), spec.port());
    return LedgerEntry.created(kind(), spec.name()).withAttributes(definition);
  }

  /** The definition as ledger attributes: the option names as Materialize spells them. */
  private static Map<String, String> attributes(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Override
  public Optional<PlannedChange> plan(Connection c, MaterializePlan plan) throws SQLException {
    ConnectionSpec spec = plan.connection();
    // A different definition is a conflict the plan check has refused already.
    return Optional.of(
        inspect(c, plan) == null
            ? new PlannedChange(
                kind(),
                spec.name(),
                PlanAction.CREATE,
                "no such connection; CREATE CONNECTION "
                    + SqlIdentifiers.quote(spec.name())
                    + " TO POSTGRES (HOST '"
                    + spec.host()
                    + "', DATABASE '"
                    + spec.database()
                    + "', USER '"
                    + spec.user()
                    + "'), validated against the upstream")
            : new PlannedChange(
                kind(), spec.name(), PlanAction.REUSE, "connection exists with this definition"));
  }

  @Override
  public List<Finding> drift(Connection c, MaterializePlan plan) throws SQLException {
    ConnectionSpec spec = plan.connection();
    String quoted = SqlIdentifiers.quote(spec.name());
    Optional<String> problem = inspect(c, plan);
    if (problem == null) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              spec.name(),
              "connection " + spec.name() + " does not exist, so the source cannot run",
              "run the onboarding again: it recreates the connection and the source"));
    }
    List<Finding> out = new ArrayList<>();
    problem.ifPresent(
        p ->
            out.add(
                new Finding(
                    Severity.WARNING,
                    kind(),
                    spec.name(),
                    p,
                    "put the definition back (ALTER CONNECTION "
                        + quoted
                        + " SET (...)) or record the change in the onboarding request")));
    try {
      Sql.exec(c, "VALIDATE CONNECTION " + quoted);
    } catch (SQLException e) {
      String error = MaterializeClient.describe(e);
      out.add(
          new Finding(
              Severity.CRITICAL,
              kind(),
              spec.name(),
              "connection " + spec.name() + " fails validation: " + error,
              SourceErrors.fix(error, spec, null)));
    }
    return out;
  }

  @Override
  public Removal remove(Connection c, LedgerEntry entry) throws SQLException {
    String name = entry.identifier();
    MzOwnership.Marked found = MzOwnership.existing(c, MzKind.CONNECTION, name);
    Optional<Removal> kept = MaterializeResource.ownedOrKept(entry, found, MzKind.CONNECTION);
    if (kept.isPresent()) {
      return kept.get();
    }
    String quoted = SqlIdentifiers.quote(name);
    if (!entry.attributes().isEmpty()) {
      Map<String, String> now =
          ConnectionDefinition.options(ConnectionDefinition.typeAndSql(c, name)[1]);
      Map<String, String> made = new LinkedHashMap<>();
      now.keySet().forEach(k -> made.put(k, entry.attribute(k)));
      List<String> altered = ConnectionDefinition.differences(now, made);
      if (!altered.isEmpty()) {
        return Removal.of(
            entry,
            RemovalOutcome.KEPT_CHANGED,
            "connection "
                + name
                + " was altered since onboarding ("
                + String.join("; ", altered).replace("wanted", "onboarding made")
                + "); left in place. If it is no longer needed: DROP CONNECTION "
                + quoted);
      }
    }
    List<String> users =
        Sql.column(
            c,
            "SELECT s.name FROM mz_catalog.mz_sources s JOIN mz_catalog.mz_connections cn ON"
                + " cn.id = s.connection_id WHERE cn.name = ? ORDER BY 1",
            name);
    if (!users.isEmpty()) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "connection "
              + name
              + " is still used by source "
              + String.join(", ", users)
              + "; left in place. Once unused: DROP CONNECTION "
              + quoted);
    }
    return MaterializeResource.drop(c, entry, "DROP CONNECTION " + quoted, "connection " + name);
  }
}
