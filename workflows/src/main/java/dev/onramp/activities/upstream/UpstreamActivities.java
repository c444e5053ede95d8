package dev.onramp.activities.upstream;

import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
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
   * REPLICA IDENTITY FULL per table, the publication (created or extended), the replication user
   * (created, or its password updated from the secret), GRANT rds_replication, CONNECT, USAGE,
   * SELECT.
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
}
