package dev.onramp.workflows;

import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.network.IngressResult;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.upstream.UpstreamObjects;
import java.time.Duration;
import java.util.List;

/**
 * The calls of runs started before the {@code resource-ledger} change, exactly as they were: the
 * old activity methods, and free-text lists of what was created and reused (which counted some
 * reused objects as created; the ledger fixed that).
 */
final class LegacyResourceCalls implements ResourceCalls {
  private final Preflighted found;
  private final OnboardingActivities act;
  private final ProgressTracker progress;

  LegacyResourceCalls(Preflighted found, OnboardingActivities act, ProgressTracker progress) {
    this.found = found;
    this.act = act;
    this.progress = progress;
  }

  private OnboardingRequest request() {
    return found.request();
  }

  @Override
  public void parameterGroup(ParameterGroupPlan plan) {
    if (plan.action() != ParameterGroupPlan.Action.ALREADY_SET) {
      act.rds.prepareParameterGroup(request().region(), plan);
    }
    switch (plan.action()) {
      case CREATE, COPY -> progress.created("parameter group " + plan.targetGroup());
      case MODIFY_IN_PLACE ->
          progress.reused(
              "parameter group "
                  + plan.targetGroup()
                  + " (found; onramp set rds.logical_replication=1 in it)");
      case ALREADY_SET ->
          progress.reused(
              "parameter group " + plan.targetGroup() + " (already sets rds.logical_replication)");
    }
  }

  @Override
  public void parameterGroupAlreadyOn(String group) {
    progress.reused("parameter group " + group + " (already on)");
  }

  @Override
  public void associate(String group) {
    act.rds.associateParameterGroup(
        request().region(),
        request().dbInstanceId(),
        group,
        request().appliesPendingModifications());
  }

  @Override
  public SecretRef replicationSecret() {
    SecretRef password =
        act.secrets.ensureReplicationPassword(
            request().region(),
            request().dbInstanceId(),
            request().replicationPasswordSecret(),
            found.names().replicationUser());
    progress.created("secret " + request().replicationPasswordSecret());
    return password;
  }

  @Override
  public UpstreamObjects upstream(SecretRef password) {
    UpstreamObjects objects =
        act.upstreamDdl.ensureUpstreamObjects(
            found.target(),
            request().tables(),
            found.names().publication(),
            found.names().replicationUser(),
            password);
    progress.created("publication " + objects.publication());
    progress.created("user " + objects.replicationUser());
    return objects;
  }

  @Override
  public IngressCount ingress(DbInstanceInfo instance, List<String> cidrs) {
    IngressResult result =
        act.network.authorizeIngress(
            request().region(), instance.securityGroupIds(), instance.endpointPort(), cidrs);
    result.added().forEach(rule -> progress.created("ingress rule " + rule));
    result.alreadyPresent().forEach(rule -> progress.reused("ingress rule " + rule));
    return new IngressCount(result.added().size(), result.alreadyPresent().size());
  }

  @Override
  public void cluster() {
    MaterializeTarget m = request().materialize();
    act.materialize.ensureCluster(found.names().cluster(), m.clusterSize());
    progress.created("cluster " + m.cluster());
  }

  @Override
  public void materializeSecret(SecretRef password) {
    act.materialize.ensureSecret(found.names().secret(), request().region(), password);
    progress.created("Materialize secret " + request().materialize().secret());
  }

  @Override
  public void connection(ConnectionSpec spec) {
    act.materialize.ensureConnection(spec);
    progress.created("connection " + request().materialize().connection());
  }

  @Override
  public SourceInfo source(SourceSpec spec) {
    SourceInfo source = act.materialize.ensureSource(spec);
    String name = request().materialize().source();
    if (source.created()) {
      progress.created("source " + name);
    } else {
      progress.reused("source " + name);
    }
    return source;
  }

  @Override
  public String schedule(Duration every) {
    String scheduleId = act.reverification.ensureSchedule(request(), every);
    progress.created("schedule " + scheduleId);
    return scheduleId;
  }
}
