package dev.onramp.activities.upstream;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.tables.TableChangeOutcome;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The upstream PostgreSQL over JDBC, as the admin (rds_superuser) user. All idempotent. */
@ActivityInterface
public interface UpstreamActivities {

  /** The seed's check: {@code rds.logical_replication} from pg_settings, and {@code wal_level}. */
  LogicalReplicationStatus checkLogicalReplication(UpstreamTarget target);

  /**
   * Admin credentials work and carry rds_superuser; every listed table (or schema) exists and has a
   * primary key or can take REPLICA IDENTITY FULL. Non-retryable failure naming what to fix.
   */
  PreflightReport preflight(UpstreamTarget target, TableSelection tables);

  /**
   * Read-only, for preflight: the replication user is not the master user (or the admin onramp logs
   * in as), not a superuser or rds_superuser member, and, if it exists, carries onramp's comment;
   * an existing publication that is not onramp's already covers the tables (onramp would not alter
   * it). Otherwise a non-retryable failure naming the object and what to do.
   */
  void checkUpstreamOwnership(
      UpstreamTarget target, TableSelection tables, String publication, String replicationUser);

  /**
   * REPLICA IDENTITY FULL per table, the publication (created and marked with {@code COMMENT ON
   * PUBLICATION}, or extended when it is onramp's), the replication user (created and marked with
   * {@code COMMENT ON ROLE}, or, when it is onramp's, its password updated from the secret), GRANT
   * rds_replication, CONNECT, USAGE, SELECT. Refuses, changing nothing, a role or publication that
   * is not onramp's.
   */
  UpstreamObjects ensureUpstreamObjects(
      UpstreamTarget target,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef replicationPassword);

  /**
   * Read-only drift check for re-verification: logical replication still on, the publication still
   * covers the tables, the user still has its grants, a replication slot for the source is active
   * and how much WAL it retains. Returns findings; empty means healthy.
   */
  List<String> verify(
      UpstreamTarget target, TableSelection tables, String publication, String replicationUser);

  // ---- the resource model (issue 13): one record per call, typed outcomes ----

  /**
   * Converges replica identities, publication, replication role and grants (in that order) and
   * returns what is there with one ledger entry per resource ({@link UpstreamObjects#ledger()}). A
   * lock not granted in time fails with {@code UpstreamLockBusy}, as {@link #ensureUpstreamObjects}
   * does.
   */
  UpstreamObjects convergeUpstream(UpstreamRequest request);

  /**
   * Read-only: how much the initial snapshot will copy, per table of the selection (what the
   * publication covers), from {@code pg_class.reltuples} and {@code pg_total_relation_size}; a
   * table never analyzed is counted when it is small and reported unknown otherwise.
   */
  SnapshotEstimate estimateSnapshot(UpstreamRequest request);

  /** What {@link #convergeUpstream} would do to each resource; changes nothing. */
  List<PlannedChange> planUpstream(UpstreamRequest request);

  /** Each upstream resource's drift from what it wants (severity, problem, fix). */
  List<Finding> upstreamDrift(UpstreamRequest request);

  /**
   * Removes, in reverse order, what the entries say onramp created (and restores what it changed),
   * leaving what it reused or what someone changed since; drops a replication slot of a removed
   * source that is still there. One {@link Removal} per entry (and per leftover slot).
   *
   * <p>Each entry's object is found again from the entry alone. Onramp's role and publication
   * (CREATED, or REUSED while carrying onramp's comment) are dropped; a replica identity is put
   * back to {@code previous} only while it is still FULL; grants are revoked only as far as the
   * entry's {@code granted} attribute lists them; anything else is kept and reported ({@code
   * KEPT_NOT_OURS}, {@code KEPT_CHANGED}); a missing object is {@code ALREADY_GONE}. A slot still
   * in use is {@code LEFT_OVER} with the {@code pg_drop_replication_slot} call to run later.
   *
   * <p>When the upstream cannot be reached this throws the usual retryable {@code NotReachable}
   * failure rather than reporting anything: the workflow bounds the retries and turns the entries
   * into {@code LEFT_OVER} removals, and a later offboarding run finishes the job (every removal is
   * idempotent).
   */
  List<Removal> removeUpstream(UpstreamRemoval removal);

  // ---- table changes (issue 14) ----

  /**
   * ADD: every table exists and has REPLICA IDENTITY FULL or can be given it (refused otherwise,
   * naming the table, before anything changes); then replica identity, the publication (which must
   * exist; extended only when it is onramp's) and SELECT, one ledger entry per resource as {@link
   * #convergeUpstream} writes them. DROP: the tables leave onramp's publication, their replica
   * identity is put back and SELECT revoked where the request's ledger says onramp changed or
   * granted them; one {@link dev.onramp.activities.ledger.Removal} each. One transaction either
   * way.
   */
  TableChangeOutcome changeTables(UpstreamTableChange change);
}
