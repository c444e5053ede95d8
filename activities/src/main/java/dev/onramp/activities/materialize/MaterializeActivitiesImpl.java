package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.tables.TableChangeAction;
import dev.onramp.workflows.tables.TableChangeOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@link MaterializeActivities} over pgwire with stock pgjdbc: a facade over the Materialize
 * resources ({@link MaterializeResources}) and the reads around them. Each call reads Materialize's
 * catalog before it changes anything: existing objects with the same definition are reused,
 * different ones are a non-retryable {@code MaterializeConflict} that names the difference. The
 * older {@code ensureX} methods (still called by in-flight runs and the replay corpus) are the
 * {@code convergeX} ones with the result they always had.
 */
public final class MaterializeActivitiesImpl implements MaterializeActivities {

  private final MaterializeClient client;
  private final CredentialResolver resolver;
  private final MaterializeResources resources;

  public MaterializeActivitiesImpl(MaterializeSettings settings, CredentialResolver resolver) {
    this(settings, resolver, null);
  }

  /**
   * {@code upstreamCertificateAuthority}: PEM text of the CA that issues the upstream servers'
   * certificates (for RDS the global bundle), given to Materialize as {@code SSL CERTIFICATE
   * AUTHORITY} when a connection's SSL MODE is verify_ca or verify_full; null: Materialize's system
   * CAs.
   */
  public MaterializeActivitiesImpl(
      MaterializeSettings settings,
      CredentialResolver resolver,
      String upstreamCertificateAuthority) {
    this.client = new MaterializeClient(settings);
    this.resolver = resolver;
    this.resources = new MaterializeResources(upstreamCertificateAuthority);
  }

  /**
   * One call's work on one connection, its SQL failures typed as {@link MaterializeClient} says.
   */
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(String what, Work<T> work) {
    try (Connection c = client.connect()) {
      return work.run(c);
    } catch (SQLException e) {
      throw MaterializeClient.failure(what, e);
    }
  }

  @Override
  public MaterializeInfo describe() {
    return MaterializeDescription.read(client);
  }

  @Override
  public List<String> checkPlan(MaterializePlan plan) {
    return new PlanCheck(client).check(plan);
  }

  @Override
  public void checkMaterializeOwnership(
      String cluster, String secret, String connection, String source, String resizeTo) {
    withConnection(
        "checking who owns the Materialize objects",
        c -> {
          // A cluster someone else made may hold onramp's source (that changes nothing of it), but
          // onramp never resizes it.
          if (resizeTo != null && cluster != null) {
            MzOwnership.refuseForeign(c, MzKind.CLUSTER, cluster, "resize it to " + resizeTo);
          }
          refuseForeignItems(c, secret, connection, source);
          return null;
        });
  }

  private static void refuseForeignItems(
      Connection c, String secret, String connection, String source) throws SQLException {
    MzOwnership.refuseForeign(c, MzKind.SECRET, secret, "change its value");
    MzOwnership.refuseForeign(c, MzKind.CONNECTION, connection, "take it over");
    MzOwnership.refuseForeign(c, MzKind.SOURCE, source, "add tables to it");
  }

  // ---- the resources ----

  @Override
  public LedgerEntry convergeCluster(ClusterSpec spec) {
    return withConnection(
        "creating cluster " + spec.name(), c -> resources.cluster.converge(c, spec));
  }

  @Override
  public LedgerEntry convergeSecret(MzSecretSpec spec) {
    String value = resolver.resolve(spec.region(), spec.password(), null).password();
    return withConnection(
        "storing secret " + spec.name(), c -> resources.secret.converge(c, spec.name(), value));
  }

  @Override
  public LedgerEntry convergeConnection(ConnectionSpec spec) {
    return withConnection(
        "creating connection " + spec.name(), c -> resources.connection.converge(c, spec));
  }

  @Override
  public SourceInfo convergeSource(SourceSpec spec) {
    return withConnection(
        "creating source " + spec.name(),
        c ->
            resources.source.converge(
                c,
                spec,
                spec.syntax() != null
                    ? spec.syntax()
                    : MaterializeDescription.syntaxOf(Sql.single(c, "SELECT mz_version()"))));
  }

  @Override
  public List<PlannedChange> planMaterialize(MaterializePlan plan) {
    return withConnection(
        "planning the Materialize objects",
        c -> {
          // Refused exactly as the onboarding's preflight would refuse it, before any inspection.
          new PlanCheck(client).check(c, plan);
          refuseForeignItems(
              c,
              plan.connection().passwordSecret(),
              plan.connection().name(),
              plan.source().name());
          return resources.plan(c, plan);
        });
  }

  @Override
  public List<Finding> materializeDrift(MaterializePlan plan) {
    return withConnection(
        "checking the Materialize objects for drift", c -> resources.drift(c, plan));
  }

  @Override
  public List<Removal> removeMaterialize(MaterializeRemoval removal) {
    return withConnection(
        "removing the Materialize objects", c -> resources.remove(c, removal.entries()));
  }

  // ---- the older calls, over the resources ----

  @Override
  public void ensureCluster(String cluster, String size) {
    convergeCluster(new ClusterSpec(cluster, size));
  }

  @Override
  public void ensureSecret(String secretName, String region, SecretRef password) {
    convergeSecret(new MzSecretSpec(secretName, region, password));
  }

  @Override
  public void ensureConnection(ConnectionSpec spec) {
    convergeConnection(spec);
  }

  @Override
  public SourceInfo ensureSource(SourceSpec spec) {
    return convergeSource(spec);
  }

  // ---- reads around the resources ----

  @Override
  public SnapshotStatus awaitSnapshot(String source, Duration pollInterval, Duration stalledGrace) {
    return new SnapshotWait(client).await(source, pollInterval, stalledGrace);
  }

  @Override
  public ClusterUtilization clusterUtilization(String cluster) {
    return new ClusterSizing(client).utilization(cluster);
  }

  @Override
  public void resizeCluster(String cluster, String size) {
    new ClusterSizing(client).resize(cluster, size);
  }

  @Override
  public ClusterUtilization shrinkAfterSnapshot(ClusterShrink shrink) {
    return new ClusterSizing(client).shrinkAfterSnapshot(shrink);
  }

  @Override
  public SnapshotStatus sourceStatus(String source) {
    return withConnection(
        "reading the status of source " + source, c -> SourceObservation.read(c, source).status());
  }

  // ---- table changes ----

  @Override
  public TableChangeOutcome changeSourceTables(SourceTableChange change) {
    SourceSpec spec = change.source();
    return withConnection(
        (change.action() == TableChangeAction.ADD ? "adding tables to" : "dropping tables from")
            + " source "
            + spec.name(),
        c ->
            SourceTableChanges.change(
                c,
                new SourceTableChange(
                    spec.syntax() != null
                        ? spec
                        : new SourceSpec(
                            spec.name(),
                            spec.cluster(),
                            spec.connection(),
                            spec.publication(),
                            spec.tables(),
                            MaterializeDescription.syntaxOf(Sql.single(c, "SELECT mz_version()")),
                            spec.relations()),
                    change.action(),
                    change.tables())));
  }
}
