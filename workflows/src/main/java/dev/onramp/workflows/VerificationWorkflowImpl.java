package dev.onramp.workflows;

import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** Reads the instance, upstream and Materialize and lists what drifted since onboarding. */
public class VerificationWorkflowImpl implements VerificationWorkflow {
  private static final Logger log = Workflow.getLogger(VerificationWorkflowImpl.class);

  /**
   * A re-verification runs again on its schedule, so each call gets a few minutes of retries for
   * transient errors (the same failure tables as the onboarding), not the onboarding's bounds.
   */
  private static final ActivityOptions OPTIONS = OnboardingActivities.call(Duration.ofMinutes(5));

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
    TargetNames names = TargetNames.of(request);
    List<String> findings = new ArrayList<>();
    DbInstanceInfo instance = rds.describeInstance(request.region(), request.dbInstanceId());
    SecretRef admin =
        request.adminCredentials().kind() == SecretRef.Kind.RDS_MANAGED
            ? SecretRef.secretsManager(instance.masterUserSecretArn())
            : request.adminCredentials();
    UpstreamTarget target =
        new UpstreamTarget(
            request.region(),
            request.dbInstanceId(),
            instance.endpointAddress(),
            instance.endpointPort(),
            names.database(),
            instance.masterUsername(),
            admin,
            "require");
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
