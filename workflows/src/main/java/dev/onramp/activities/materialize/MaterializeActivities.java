package dev.onramp.activities.materialize;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.tables.TableChangeOutcome;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;

/**
 * Materialize over JDBC (pgwire), with the worker's configured Materialize credentials. Objects
 * that exist with the same definition are reused; a different definition is a non-retryable {@code
 * MaterializeConflict} naming the difference.
 */
@ActivityInterface
public interface MaterializeActivities {

  /** Version, which CREATE SOURCE form it expects, and the egress CIDRs ({@code mz_egress_ips}). */
  MaterializeInfo describe();

  /**
   * Before anything changes: every name the plan will create is free or taken by an object with the
   * same definition (a re-run), no two planned relations share a name, and the user may create what
   * is missing (CREATECLUSTER for a new cluster, CREATE on the schema). Returns what will be
   * reused; a non-retryable {@code MaterializeConflict} lists every conflict otherwise.
   */
  List<String> checkPlan(MaterializePlan plan);

  /**
   * Read-only, for preflight: refuses (non-retryable {@code ForeignObject}) when the secret,
   * connection or source exists without onramp's mark ({@code COMMENT ON ... IS 'managed by
   * onramp'}), or when {@code resizeTo} is set and the cluster exists without it. A cluster that is
   * not onramp's may hold the source; it is never resized.
   */
  void checkMaterializeOwnership(
      String cluster, String secret, String connection, String source, String resizeTo);

  /**
   * CREATE CLUSTER name (SIZE = size), marked as onramp's, unless it exists (any size is accepted
   * for reuse).
   */
  void ensureCluster(String cluster, String size);

  /**
   * CREATE SECRET with the password read from {@code password} (a Secrets Manager reference); ALTER
   * SECRET when it exists and is onramp's, so a rotated password lands; never alters a secret
   * onramp did not create.
   */
  void ensureSecret(String secretName, String region, SecretRef password);

  /** CREATE CONNECTION ... TO POSTGRES, validated; reused when the definition matches. */
  void ensureConnection(ConnectionSpec spec);

  /** CREATE SOURCE (and CREATE TABLE ... FROM SOURCE on newer Materialize); reused if equal. */
  SourceInfo ensureSource(SourceSpec spec);

  /**
   * Polls the source every {@code pollInterval}, heartbeating its statistics, until the snapshot is
   * committed; fails with the source's error when it is failed, or when it has stayed stalled for
   * {@code stalledGrace} (null: fail on the first stalled reading, as histories recorded before the
   * grace period existed did).
   */
  SnapshotStatus awaitSnapshot(String source, Duration pollInterval, Duration stalledGrace);

  /** CPU and memory of the cluster's replicas, and a suggested size. */
  ClusterUtilization clusterUtilization(String cluster);

  /** ALTER CLUSTER ... SET (SIZE = ...); no-op when it already has that size. */
  void resizeCluster(String cluster, String size);

  /**
   * Shrinks the cluster that started on a snapshot size, only after reading that the source's
   * snapshot is committed (a non-retryable {@code SnapshotNotCommitted} otherwise, changing
   * nothing) and only when it is onramp's; returns the utilization read just before the resize.
   */
  ClusterUtilization shrinkAfterSnapshot(ClusterShrink shrink);

  /** Single read of the source's status and snapshot counters; never throws for a bad status. */
  SnapshotStatus sourceStatus(String source);

  // ---- the resource model (issue 13): one record per call, typed outcomes ----

  LedgerEntry convergeCluster(ClusterSpec spec);

  LedgerEntry convergeSecret(MzSecretSpec spec);

  LedgerEntry convergeConnection(ConnectionSpec spec);

  /** The source and its relations; {@link SourceInfo#entry()} carries the replication slot. */
  SourceInfo convergeSource(SourceSpec spec);

  /**
   * What converging the plan's cluster, secret, connection and source would do; changes nothing. A
   * conflict fails as {@link #checkPlan} does.
   */
  List<PlannedChange> planMaterialize(MaterializePlan plan);

  /** Each Materialize resource's drift (source status and error, connection, cluster). */
  List<Finding> materializeDrift(MaterializePlan plan);

  /** Removes source, connection, secret, cluster that the entries say onramp created. */
  List<Removal> removeMaterialize(MaterializeRemoval removal);

  // ---- table changes (issue 14) ----

  /**
   * ADD: the onramp source gains a relation per table ({@code ALTER SOURCE ... ADD SUBSOURCE} or
   * {@code CREATE TABLE ... FROM SOURCE}, as {@link SourceTableChange#source()}'s syntax says);
   * DROP: the relation that ingests each table is dropped ({@code DROP SOURCE <subsource>} or
   * {@code DROP TABLE}). Either way the outcome carries the source's entry ({@code CHANGED}, its
   * {@code relations} attribute what the source feeds now), and a drop one removal per table.
   */
  TableChangeOutcome changeSourceTables(SourceTableChange change);
}
