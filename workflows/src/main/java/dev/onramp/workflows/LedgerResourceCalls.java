package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.materialize.ClusterSpec;
import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MzSecretSpec;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.network.IngressRequest;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.rds.ParameterGroupRequest;
import dev.onramp.activities.secrets.ReplicationSecret;
import dev.onramp.activities.secrets.ReplicationSecretRequest;
import dev.onramp.activities.upstream.UpstreamObjects;
import dev.onramp.activities.upstream.UpstreamRequest;
import dev.onramp.activities.verification.ScheduleRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The calls of runs since the {@code resource-ledger} change: one converge call per resource, each
 * returning what it did as a typed {@link LedgerEntry} that the progress keeps (created, changed
 * with what was there before, or reused).
 */
final class LedgerResourceCalls implements ResourceCalls {
  private final Preflighted found;
  private final OnboardingActivities act;
  private final ProgressTracker progress;

  LedgerResourceCalls(Preflighted found, OnboardingActivities act, ProgressTracker progress) {
    this.found = found;
    this.act = act;
    this.progress = progress;
    progress.keepLedger();
  }

  private OnboardingRequest request() {
    return found.request();
  }

  private void record(LedgerEntry entry) {
    if (entry != null) {
      progress.record(entry);
    }
  }

  @Override
  public void parameterGroup(ParameterGroupPlan plan) {
    record(act.rds.convergeParameterGroup(new ParameterGroupRequest(request().region(), plan)));
  }

  @Override
  public void parameterGroupAlreadyOn(String group) {
    // Nothing to converge: the instance's own group already turns logical replication on.
    record(
        new LedgerEntry(
            ResourceKind.PARAMETER_GROUP,
            group,
            Outcome.REUSED,
            null,
            Map.of("note", "already sets rds.logical_replication=1")));
  }

  @Override
  public void associate(String group) {
    record(
        act.rds.convergeAssociation(
            new AssociationRequest(
                request().region(),
                request().dbInstanceId(),
                group,
                request().appliesPendingModifications())));
  }

  @Override
  public SecretRef replicationSecret() {
    ReplicationSecret secret =
        act.secrets.convergeReplicationSecret(
            new ReplicationSecretRequest(
                request().region(),
                request().dbInstanceId(),
                request().replicationPasswordSecret(),
                found.names().replicationUser()));
    record(secret.entry());
    return secret.ref();
  }

  @Override
  public UpstreamObjects upstream(SecretRef password) {
    UpstreamObjects objects =
        act.upstreamDdl.convergeUpstream(
            new UpstreamRequest(
                found.target(),
                request().tables(),
                found.names().publication(),
                found.names().replicationUser(),
                password));
    objects.ledger().forEach(this::record);
    return objects;
  }

  @Override
  public IngressCount ingress(DbInstanceInfo instance, List<String> cidrs) {
    List<LedgerEntry> rules =
        act.network.convergeIngress(
            new IngressRequest(
                request().region(), instance.securityGroupIds(), instance.endpointPort(), cidrs));
    rules.forEach(this::record);
    int added = (int) rules.stream().filter(e -> e.outcome() == Outcome.CREATED).count();
    return new IngressCount(added, rules.size() - added);
  }

  @Override
  public void cluster() {
    record(
        act.materialize.convergeCluster(
            new ClusterSpec(found.names().cluster(), request().materialize().sizeAtCreation())));
  }

  @Override
  public void materializeSecret(SecretRef password) {
    record(
        act.materialize.convergeSecret(
            new MzSecretSpec(found.names().secret(), request().region(), password)));
  }

  @Override
  public void connection(ConnectionSpec spec) {
    record(act.materialize.convergeConnection(spec));
  }

  @Override
  public SourceInfo source(SourceSpec spec) {
    SourceInfo source = act.materialize.convergeSource(spec);
    record(source.entry());
    return source;
  }

  @Override
  public String schedule(Duration every) {
    LedgerEntry entry = act.reverification.convergeSchedule(new ScheduleRequest(request(), every));
    record(entry);
    return entry.identifier();
  }
}
