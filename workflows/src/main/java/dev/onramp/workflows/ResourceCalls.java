package dev.onramp.workflows;

import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.upstream.UpstreamObjects;
import java.time.Duration;
import java.util.List;

/**
 * The calls that change something, one per managed resource, and the record of what each did. Runs
 * started before the {@code resource-ledger} change call the old activity methods and keep
 * free-text lists ({@link LegacyResourceCalls}); runs since call the one-record converge methods
 * and keep typed ledger entries ({@link LedgerResourceCalls}). See docs/versioning.md.
 */
interface ResourceCalls {
  /** Step 3: makes {@code plan.targetGroup()} set rds.logical_replication=1. */
  void parameterGroup(ParameterGroupPlan plan);

  /** Step 3 skipped: the instance's own group already turns logical replication on. */
  void parameterGroupAlreadyOn(String group);

  /** Step 4: puts the instance on {@code group}. */
  void associate(String group);

  /** Step 6: the replication password's secret. */
  SecretRef replicationSecret();

  /**
   * Step 6: publication, user, grants; one attempt (a lock not granted in time fails with {@code
   * UpstreamLockBusy}, and the caller waits and tries again).
   */
  UpstreamObjects upstream(SecretRef password);

  /**
   * Step 7: lets {@code cidrs} reach the instance (as last described); returns how many rules were
   * added and how many were there.
   */
  IngressCount ingress(DbInstanceInfo instance, List<String> cidrs);

  /** Step 8, in order: cluster, secret, connection, source. */
  void cluster();

  void materializeSecret(SecretRef password);

  void connection(ConnectionSpec spec);

  SourceInfo source(SourceSpec spec);

  /** Step 11: the re-verification schedule; returns its id. */
  String schedule(Duration every);

  record IngressCount(int added, int alreadyPresent) {}
}
