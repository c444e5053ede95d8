package dev.onramp.workflows;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.materialize.ClusterSpec;
import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.MzSecretSpec;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.network.IngressRequest;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.rds.ParameterGroupRequest;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.secrets.ReplicationSecret;
import dev.onramp.activities.secrets.ReplicationSecretRequest;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import dev.onramp.activities.upstream.PreflightReport;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamObjects;
import dev.onramp.activities.upstream.UpstreamRequest;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.upstream.WalSafety;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

/**
 * The obvious alternative to onramp, for the overhead benchmark: a straight-line program that calls
 * the same activity implementations, with the same arguments and in the same order as {@link
 * OnboardingWorkflowImpl} does for an IMMEDIATE reboot, EGRESS_IPS and no re-verification schedule
 * ({@link Preflight}, {@link RebootPath}, {@link ObjectSteps}, {@link FinishSteps}), but without
 * Temporal: the two AWS waits (after ModifyDBInstance and after RebootDBInstance) are the AWS SDK's
 * own {@code RdsWaiter.waitUntilDBInstanceAvailable}, polling as often as onramp polls. No retries,
 * no progress, no ledger: what a person would write who trusts every call to succeed.
 *
 * <p>{@link #calls()} lists the activity types called, in order, so the bench can check them
 * against the workflow's history: a baseline that skipped a step would flatter onramp's figure.
 */
final class BaselineOnboarding {
  private final RdsActivities rds;
  private final SecretsActivities secrets;
  private final UpstreamActivities upstream;
  private final MaterializeActivities materialize;
  private final NetworkActivities network;
  private final AwsClients aws;
  private final List<Call> calls = new ArrayList<>();
  private long rebootSeenMillis;

  BaselineOnboarding(
      AwsClients aws,
      RdsActivities rds,
      SecretsActivities secrets,
      UpstreamActivities upstream,
      MaterializeActivities materialize,
      NetworkActivities network) {
    this.aws = aws;
    this.rds = rds;
    this.secrets = secrets;
    this.upstream = upstream;
    this.materialize = materialize;
    this.network = network;
  }

  /** One call: its activity type (the SDK waiters as {@code RdsWaiter}), when it ended (ms). */
  record Call(String type, long endedMillis) {}

  /** The calls made so far, in order. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** When the waiter after RebootDBInstance returned (epoch ms): the baseline's detection. */
  long rebootSeenMillis() {
    return rebootSeenMillis;
  }

  /** One onboarding; returns the source. Throws on anything unexpected (no retries). */
  SourceInfo onboard(OnboardingRequest input) {
    OnboardingRequest request = input.withDefaults();
    String region = request.region();
    String id = request.dbInstanceId();
    TargetNames names = TargetNames.of(request);
    Duration poll = request.waits().awsPollInterval();

    // Step 1, as Preflight does it.
    DbInstanceInfo instance = call("DescribeInstance", () -> rds.describeInstance(region, id));
    if (!"available".equals(instance.status())) {
      waitAvailable(region, id, poll, request.waits().awsMaxWait());
    }
    SecretRef admin = request.adminCredentials();
    if (admin.kind() == SecretRef.Kind.RDS_MANAGED) {
      admin = SecretRef.secretsManager(instance.masterUserSecretArn());
    }
    SecretRef adminRef = admin;
    run("CheckReadable", () -> secrets.checkReadable(region, adminRef));
    UpstreamTarget target = UpstreamTarget.of(region, id, instance, names.database(), admin);
    PreflightReport report = call("Preflight", () -> upstream.preflight(target, request.tables()));
    MaterializeInfo mz = call("Describe", materialize::describe);
    run(
        "CheckReplicationSecret",
        () ->
            secrets.checkReplicationSecret(
                region, request.replicationPasswordSecret(), names.replicationUser()));
    run(
        "CheckUpstreamOwnership",
        () ->
            upstream.checkUpstreamOwnership(
                target, request.tables(), names.publication(), names.replicationUser()));
    run(
        "CheckMaterializeOwnership",
        () ->
            materialize.checkMaterializeOwnership(
                names.cluster(),
                names.secret(),
                names.connection(),
                names.source(),
                request.materialize().resizeTo() != null
                    ? request.materialize().resizeTo()
                    : request.materialize().snapshotClusterSize()));
    Preflighted found =
        new Preflighted(
            request,
            names,
            instance,
            target,
            mz,
            true,
            report.tableNames(),
            WalSafety.of(report.maxSlotWalKeepSize(), instance.allocatedStorageGib()));
    call("CheckPlan", () -> materialize.checkPlan(Preflight.materializePlan(found)));
    run("CheckEgressCidrs", () -> network.checkEgressCidrs(mz.egressCidrs()));

    // Steps 2-5, as RebootPath does them (IMMEDIATE: no gate).
    LogicalReplicationStatus before =
        call("CheckLogicalReplication", () -> upstream.checkLogicalReplication(target));
    if (!before.enabled()) {
      ParameterGroupPlan plan =
          call("PlanParameterGroup", () -> rds.planParameterGroup(region, id));
      call(
          "ConvergeParameterGroup",
          () -> rds.convergeParameterGroup(new ParameterGroupRequest(region, plan)));
      call(
          "ConvergeAssociation",
          () ->
              rds.convergeAssociation(
                  new AssociationRequest(
                      region, id, plan.targetGroup(), request.appliesPendingModifications())));
      waitAvailable(region, id, poll, request.waits().awsMaxWait());
      Instant requestedAt = Instant.now();
      call("Reboot", () -> rds.reboot(region, id, requestedAt));
      waitAvailable(region, id, poll, request.waits().awsMaxWait());
      rebootSeenMillis = System.currentTimeMillis();
      LogicalReplicationStatus after =
          call("CheckLogicalReplication", () -> upstream.checkLogicalReplication(target));
      if (!after.enabled()) {
        throw new IllegalStateException(
            "baseline: logical replication still off after the reboot: " + after);
      }
    }

    // Steps 6-8, as ObjectSteps and LedgerResourceCalls do them.
    ReplicationSecret secret =
        call(
            "ConvergeReplicationSecret",
            () ->
                secrets.convergeReplicationSecret(
                    new ReplicationSecretRequest(
                        region, id, request.replicationPasswordSecret(), names.replicationUser())));
    UpstreamObjects objects =
        call(
            "ConvergeUpstream",
            () ->
                upstream.convergeUpstream(
                    new UpstreamRequest(
                        target,
                        request.tables(),
                        names.publication(),
                        names.replicationUser(),
                        secret.ref())));
    List<LedgerEntry> rules =
        call(
            "ConvergeIngress",
            () ->
                network.convergeIngress(
                    new IngressRequest(
                        region,
                        instance.securityGroupIds(),
                        instance.endpointPort(),
                        mz.egressCidrs())));
    if (rules.isEmpty()) {
      throw new IllegalStateException("baseline: no ingress rule for " + mz.egressCidrs());
    }
    call(
        "ConvergeCluster",
        () ->
            materialize.convergeCluster(
                new ClusterSpec(names.cluster(), request.materialize().sizeAtCreation())));
    call(
        "ConvergeSecret",
        () -> materialize.convergeSecret(new MzSecretSpec(names.secret(), region, secret.ref())));
    call("ConvergeConnection", () -> materialize.convergeConnection(found.connectionSpec()));
    SourceInfo source =
        call(
            "ConvergeSource",
            () -> materialize.convergeSource(found.sourceSpec(objects.tableNames())));

    // Steps 9-10, as FinishSteps and SnapshotSizeSteps do them (no schedule: that is Temporal's).
    call(
        "EstimateSnapshot",
        () ->
            upstream.estimateSnapshot(
                new UpstreamRequest(
                    target, request.tables(), names.publication(), names.replicationUser(), null)));
    SnapshotStatus snapshot =
        call(
            "AwaitSnapshot",
            () ->
                materialize.awaitSnapshot(
                    names.source(),
                    request.waits().snapshotPollInterval(),
                    request.waits().stalledGrace()));
    if (!snapshot.snapshotCommitted()) {
      throw new IllegalStateException("baseline: snapshot not committed: " + snapshot);
    }
    call("ClusterUtilization", () -> materialize.clusterUtilization(names.cluster()));
    return source;
  }

  /**
   * The AWS SDK's own waiter, a fixed delay of onramp's poll interval between checks (the first
   * check at once, as onramp's first poll attempt).
   */
  private void waitAvailable(String region, String id, Duration poll, Duration max) {
    long attempts = Math.max(2, max.toMillis() / Math.max(1, poll.toMillis()));
    try (RdsWaiter waiter =
        RdsWaiter.builder()
            .client(aws.rds(region))
            .overrideConfiguration(
                WaiterOverrideConfiguration.builder()
                    .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(poll))
                    .maxAttempts((int) Math.min(Integer.MAX_VALUE, attempts))
                    .waitTimeout(max)
                    .build())
            .build()) {
      waiter
          .waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier(id))
          .matched()
          .exception()
          .ifPresent(
              e -> {
                throw new IllegalStateException("baseline: waiting for " + id + " failed", e);
              });
    }
    calls.add(new Call("RdsWaiter", System.currentTimeMillis()));
  }

  private <T> T call(String activityType, java.util.function.Supplier<T> call) {
    T result = call.get();
    calls.add(new Call(activityType, System.currentTimeMillis()));
    return result;
  }

  private void run(String activityType, Runnable call) {
    call.run();
    calls.add(new Call(activityType, System.currentTimeMillis()));
  }
}
