package dev.onramp.activities.upstream;

import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;

/**
 * One call's worth of what the upstream resources want: the database to reach as its admin, the
 * tables, the publication and replication role (values, quoted once by the activity), and the
 * replication password's secret (null for planning and drift, which never read it). {@code
 * allocatedStorageGib}, the instance's AllocatedStorage, lets drift weigh the WAL a slot retains
 * against the disk (null: not known, as in histories recorded before it).
 */
public record UpstreamRequest(
    UpstreamTarget target,
    TableSelection tables,
    String publication,
    String replicationUser,
    SecretRef replicationPassword,
    Integer allocatedStorageGib) {

  public UpstreamRequest(
      UpstreamTarget target,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef replicationPassword) {
    this(target, tables, publication, replicationUser, replicationPassword, null);
  }
}
