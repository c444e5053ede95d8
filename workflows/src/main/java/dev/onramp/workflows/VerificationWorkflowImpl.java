package dev.onramp.workflows;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.MaterializePlan;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.network.IngressRequest;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.notify.FindingsNotice;
import dev.onramp.activities.notify.NotifyActivities;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupCheck;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.secrets.ReplicationSecretRequest;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamRequest;
import dev.onramp.activities.upstream.UpstreamTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Reads the instance, its parameter group, the replication secret, the upstream, the network path
 * and Materialize, and reports each drift as a {@link Finding} with severity and fix (see
 * docs/verification.md). A run that finds a warning or worse fails with {@value #DRIFT_FOUND},
 * carrying its report, so that neither the Web UI nor the schedule's recent runs show it green.
 */
public class VerificationWorkflowImpl implements VerificationWorkflow {
  private static final Logger log = Workflow.getLogger(VerificationWorkflowImpl.class);

  /** Version marker: findings with severity and fix, search attributes, typed failure. */
  static final String FINDINGS = "verification-findings";

  /** The failure type of a run that found a warning or worse; its details carry the report. */
  public static final String DRIFT_FOUND = "DriftFound";

  /**
   * A re-verification runs again on its schedule, so each call gets a few minutes of retries for
   * transient errors (the same failure tables as the onboarding), not the onboarding's bounds.
   */
  private static final ActivityOptions OPTIONS = OnboardingActivities.call(Duration.ofMinutes(5));

  /**
   * A check answers within this bound (shorter with a shorter awsMaxWait): a part that does not
   * answer becomes an UNREACHABLE finding instead of holding the run.
   */
  private static final Duration CHECK_BOUND = Duration.ofMinutes(2);

  private final RdsActivities rds = Workflow.newActivityStub(RdsActivities.class, OPTIONS);
  private final UpstreamActivities upstream =
      Workflow.newActivityStub(UpstreamActivities.class, OPTIONS);
  private final MaterializeActivities materialize =
      Workflow.newActivityStub(MaterializeActivities.class, OPTIONS);

  @Override
  public VerificationReport verify(OnboardingRequest input) {
    List<String> problems = RequestValidator.problems(input);
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OnboardingRequest request = input.withDefaults();
    if (Workflow.getVersion(FINDINGS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      return new Check(request).run();
    }
    return legacy(request);
  }

  /** One run of the checks of version 1: every part is checked even when another fails. */
  private static final class Check {
    private final OnboardingRequest request;
    private final TargetNames names;
    private final RdsActivities rds;
    private final SecretsActivities secrets;
    private final UpstreamActivities upstream;
    private final NetworkActivities network;
    private final MaterializeActivities materialize;
    private final NotifyActivities notify;
    private final List<Finding> found = new ArrayList<>();
    private boolean unreachable;

    Check(OnboardingRequest request) {
      this.request = request;
      this.names = TargetNames.of(request);
      Duration bound = CHECK_BOUND;
      Duration maxWait = request.waits().awsMaxWait();
      if (maxWait != null && maxWait.compareTo(bound) < 0) {
        bound = maxWait;
      }
      ActivityOptions options = OnboardingActivities.call(bound);
      this.rds = Workflow.newActivityStub(RdsActivities.class, options);
      this.secrets = Workflow.newActivityStub(SecretsActivities.class, options);
      this.upstream = Workflow.newActivityStub(UpstreamActivities.class, options);
      this.network = Workflow.newActivityStub(NetworkActivities.class, options);
      this.materialize = Workflow.newActivityStub(MaterializeActivities.class, options);
      this.notify = Workflow.newActivityStub(NotifyActivities.class, options);
    }

    VerificationReport run() {
      String region = request.region();
      String id = request.dbInstanceId();
      DbInstanceInfo instance =
          attempt(
              ResourceKind.PARAMETER_GROUP_ASSOCIATION,
              id,
              "AWS RDS",
              () -> rds.describeInstance(region, id));
      if (instance != null) {
        found.addAll(
            orNone(
                ResourceKind.PARAMETER_GROUP,
                id,
                "AWS RDS",
                () -> rds.parameterGroupDrift(new ParameterGroupCheck(region, id))));
      }
      found.addAll(
          orNone(
              ResourceKind.REPLICATION_SECRET,
              request.replicationPasswordSecret(),
              "AWS Secrets Manager",
              () ->
                  secrets.replicationSecretDrift(
                      new ReplicationSecretRequest(
                          region,
                          id,
                          request.replicationPasswordSecret(),
                          names.replicationUser()))));
      MaterializeInfo mz =
          attempt(ResourceKind.MZ_SOURCE, names.source(), "Materialize", materialize::describe);
      if (instance != null) {
        checkUpstreamAndNetwork(instance, mz);
      }
      if (mz != null && instance != null) {
        found.addAll(
            orNone(
                ResourceKind.MZ_SOURCE,
                names.source(),
                "Materialize",
                () -> materialize.materializeDrift(plan(instance, mz))));
      }
      VerificationReport report =
          VerificationReport.of(
              id,
              request.database(),
              Instant.ofEpochMilli(Workflow.currentTimeMillis()),
              found,
              unreachable);
      Workflow.upsertTypedSearchAttributes(
          SearchAttributeUpdate.valueSet(OnboardingWorkflows.DB_INSTANCE, id),
          SearchAttributeUpdate.valueSet(
              OnboardingWorkflows.VERIFICATION_STATUS, report.status().name()),
          SearchAttributeUpdate.valueSet(
              OnboardingWorkflows.LAST_VERIFIED_AT,
              OffsetDateTime.ofInstant(report.checkedAt(), ZoneOffset.UTC)));
      tell(report);
      if (report.status() == VerificationStatus.HEALTHY) {
        return report;
      }
      log.warn("drift on {}: {}", id, report.findings());
      throw ApplicationFailure.newNonRetryableFailure(
          id
              + "/"
              + request.database()
              + ": "
              + report.status()
              + ", "
              + found.size()
              + " finding(s): "
              + String.join(" | ", report.findings()),
          DRIFT_FOUND,
          report);
    }

    /**
     * Every run tells the notifier what it found (healthy runs too: a finding that went away is
     * forgotten, so it is told again if it comes back). A webhook that fails does not fail the
     * check: the findings are in the report and the search attribute.
     */
    private void tell(VerificationReport report) {
      try {
        notify.notifyFindings(
            new FindingsNotice(
                request.region() + "/" + request.dbInstanceId() + "/" + request.database(),
                report.status().name(),
                report.drift()));
      } catch (ActivityFailure e) {
        log.warn("could not notify about {}: {}", request.dbInstanceId(), reason(e));
      }
    }

    private void checkUpstreamAndNetwork(DbInstanceInfo instance, MaterializeInfo mz) {
      SecretRef admin =
          request.adminCredentials().kind() == SecretRef.Kind.RDS_MANAGED
              ? SecretRef.secretsManager(instance.masterUserSecretArn())
              : request.adminCredentials();
      UpstreamTarget target =
          UpstreamTarget.of(
              request.region(), request.dbInstanceId(), instance, names.database(), admin);
      found.addAll(
          orNone(
              ResourceKind.PUBLICATION,
              names.publication(),
              "the upstream database",
              () ->
                  upstream.upstreamDrift(
                      new UpstreamRequest(
                          target,
                          request.tables(),
                          names.publication(),
                          names.replicationUser(),
                          // Drift logs in with it to prove it still opens the upstream.
                          SecretRef.secretsManager(request.replicationPasswordSecret()),
                          // Retained WAL is weighed against the disk too.
                          instance.allocatedStorageGib()))));
      if (request.networkMode() == NetworkMode.EGRESS_IPS && mz != null) {
        // Materialize's egress IPs change: every CURRENT one needs its rule.
        found.addAll(
            orNone(
                ResourceKind.INGRESS_RULE,
                request.dbInstanceId(),
                "AWS EC2",
                () ->
                    network.ingressDrift(
                        new IngressRequest(
                            request.region(),
                            instance.securityGroupIds(),
                            instance.endpointPort(),
                            mz.egressCidrs()))));
      }
    }

    private MaterializePlan plan(DbInstanceInfo instance, MaterializeInfo mz) {
      Preflighted seen = new Preflighted(request, names, instance, null, mz, true, null);
      return new MaterializePlan(
          names.cluster(),
          seen.connectionSpec(),
          seen.sourceSpec(null),
          request.materialize().clusterSize());
    }

    private List<Finding> orNone(
        ResourceKind kind, String identifier, String system, Supplier<List<Finding>> call) {
      List<Finding> out = attempt(kind, identifier, system, call);
      return out == null ? List.of() : out;
    }

    /** The call's answer, or null with an UNREACHABLE finding saying which part went unchecked. */
    private <T> T attempt(ResourceKind kind, String identifier, String system, Supplier<T> call) {
      try {
        return call.get();
      } catch (ActivityFailure e) {
        unreachable = true;
        found.add(
            new Finding(
                Severity.CRITICAL,
                kind,
                identifier,
                "could not check (" + e.getActivityType() + "): " + reason(e),
                "make sure "
                    + system
                    + " is reachable from the worker and answers, then run onramp verify again"));
        return null;
      }
    }

    private static String reason(ActivityFailure e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutFailure t && t.getCause() != null) {
        cause = t.getCause();
      }
      if (cause instanceof ApplicationFailure app) {
        return app.getOriginalMessage();
      }
      return cause == null ? e.getMessage() : cause.getMessage();
    }
  }

  /** Runs started before {@value #FINDINGS}: lines only, always completed. */
  private VerificationReport legacy(OnboardingRequest request) {
    TargetNames names = TargetNames.of(request);
    List<String> findings = new ArrayList<>();
    DbInstanceInfo instance = rds.describeInstance(request.region(), request.dbInstanceId());
    SecretRef admin =
        request.adminCredentials().kind() == SecretRef.Kind.RDS_MANAGED
            ? SecretRef.secretsManager(instance.masterUserSecretArn())
            : request.adminCredentials();
    UpstreamTarget target =
        UpstreamTarget.of(
            request.region(), request.dbInstanceId(), instance, names.database(), admin);
    LogicalReplicationStatus lr = upstream.checkLogicalReplication(target);
    if (!lr.enabled()) {
      findings.add(
          "logical replication is off (rds.logical_replication="
              + lr.rdsLogicalReplication()
              + ", wal_level="
              + lr.walLevel()
              + ") on "
              + request.dbInstanceId()
              + ": check its parameter group "
              + instance.parameterGroup()
              + " and run the onboarding again");
    }
    findings.addAll(
        upstream.verify(target, request.tables(), names.publication(), names.replicationUser()));
    SnapshotStatus source = materialize.sourceStatus(names.source());
    if (!"running".equals(source.status())) {
      findings.add(
          "source "
              + request.materialize().source()
              + " is "
              + source.status()
              + ": see mz_internal.mz_source_statuses for its error");
    }
    if (!findings.isEmpty()) {
      log.warn("drift on {}: {}", request.dbInstanceId(), findings);
    }
    return new VerificationReport(
        request.dbInstanceId(),
        request.database(),
        Instant.ofEpochMilli(Workflow.currentTimeMillis()),
        findings);
  }
}
