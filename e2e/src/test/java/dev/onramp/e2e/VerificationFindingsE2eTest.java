package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.VerificationStatus;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.ReverificationSchedules;
import io.temporal.client.WorkflowFailedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Acceptance of re-verification (issue 14): one onboarding against the stand-ins and a real
 * Temporal dev server; the schedule's triggered run is healthy; then one drift at a time, each
 * undone before the next, shows up as its own finding with severity and fix.
 */
class VerificationFindingsE2eTest {
  @TempDir Path dir;

  @Test
  void theTriggeredRunIsHealthyThenEachDriftIsItsOwnFinding() throws Exception {
    try (E2eEnvironment env = new E2eEnvironment(dir, Duration.ofSeconds(2))) {
      env.startWorker("worker");
      CliRun run = CliRun.of(env.startImmediate(E2eEnvironment.DATABASE, "orders"));
      assertThat(run.code()).as("%s%n%s", run.out(), run.err()).isZero();

      String onboarding =
          OnboardingWorkflows.workflowId("us-east-1", E2eEnvironment.INSTANCE, "shop");
      OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);
      ReverificationSchedules schedules = new ReverificationSchedules(env.temporal.client());
      String scheduleId = ReverificationSchedules.scheduleId(onboarding);

      // The schedule's own run, triggered: healthy, and the search attribute says so.
      schedules.trigger(scheduleId);
      VerificationReport healthy = triggeredRun(env, schedules, scheduleId);
      assertThat(healthy.drift()).as("%s", healthy.findings()).isEmpty();
      assertThat(healthy.status()).isEqualTo(VerificationStatus.HEALTHY);

      // 1. SELECT revoked from the replication user.
      String user = OnboardingRequest.DEFAULT_REPLICATION_USER;
      upstream(env, "REVOKE SELECT ON orders FROM " + user);
      VerificationReport revoked = client.verifyNow(onboarding);
      upstream(env, "GRANT SELECT ON orders TO " + user);
      assertThat(revoked.status()).isEqualTo(VerificationStatus.CRITICAL);
      assertFinding(revoked, ResourceKind.GRANTS, "GRANT SELECT");

      // 2. A table dropped from the publication.
      upstream(env, "ALTER PUBLICATION mz_source DROP TABLE orders");
      VerificationReport unpublished = client.verifyNow(onboarding);
      upstream(env, "ALTER PUBLICATION mz_source ADD TABLE orders");
      assertFinding(unpublished, ResourceKind.PUBLICATION, "ALTER PUBLICATION");

      // 3. The ingress rule removed from the instance's security group.
      String sg = securityGroup(env);
      try (Ec2Client ec2 = ec2(env)) {
        ec2.revokeSecurityGroupIngress(
            b ->
                b.groupId(sg)
                    .ipPermissions(
                        p ->
                            p.ipProtocol("tcp")
                                .fromPort(env.instance().port())
                                .toPort(env.instance().port())
                                .ipRanges(r -> r.cidrIp("127.0.0.1/32"))));
        VerificationReport noRule = client.verifyNow(onboarding);
        ec2.authorizeSecurityGroupIngress(
            b ->
                b.groupId(sg)
                    .ipPermissions(
                        p ->
                            p.ipProtocol("tcp")
                                .fromPort(env.instance().port())
                                .toPort(env.instance().port())
                                .ipRanges(r -> r.cidrIp("127.0.0.1/32"))));
        assertFinding(noRule, ResourceKind.INGRESS_RULE, "authorize-security-group-ingress");
      }

      // 4. Materialize's egress IPs changed: the new one has no rule.
      env.mz.setEgressCidrs(List.of("127.0.0.1/32", "127.0.0.2/32"));
      VerificationReport newEgress = client.verifyNow(onboarding);
      env.mz.setEgressCidrs(List.of("127.0.0.1/32"));
      assertThat(newEgress.drift())
          .anySatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo(ResourceKind.INGRESS_RULE);
                assertThat(f.identifier() + f.problem()).contains("127.0.0.2/32");
                assertThat(f.fix()).isNotBlank();
              });

      // Healthy again once everything is undone.
      assertThat(client.verifyNow(onboarding).status()).isEqualTo(VerificationStatus.HEALTHY);
    }
  }

  private static void assertFinding(VerificationReport report, ResourceKind kind, String fix) {
    assertThat(report.healthy()).isFalse();
    assertThat(report.drift())
        .as("%s", report.findings())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(kind);
              assertThat(f.severity()).isIn(Severity.CRITICAL, Severity.WARNING);
              assertThat(f.fix()).contains(fix);
            });
  }

  /** Waits for the schedule's latest run and returns its report (from its result or failure). */
  private static VerificationReport triggeredRun(
      E2eEnvironment env, ReverificationSchedules schedules, String scheduleId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (schedules.describe(scheduleId).lastRuns().isEmpty()) {
      assertThat(System.nanoTime()).as("the triggered run started").isLessThan(deadline);
      Thread.sleep(200);
    }
    List<ReverificationSchedules.LastRun> runs = schedules.describe(scheduleId).lastRuns();
    String workflowId = runs.get(runs.size() - 1).workflowId();
    try {
      return env.temporal
          .client()
          .newUntypedWorkflowStub(workflowId)
          .getResult(VerificationReport.class);
    } catch (WorkflowFailedException e) {
      return OnboardingClient.driftReport(e).orElseThrow(() -> e);
    }
  }

  private static void upstream(E2eEnvironment env, String sql) throws Exception {
    try (Connection c = env.upstreamAsMaster()) {
      c.createStatement().execute(sql);
    }
  }

  private static Ec2Client ec2(E2eEnvironment env) {
    return Ec2Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(env.aws.endpoint())
        .build();
  }

  private static String securityGroup(E2eEnvironment env) {
    try (RdsClient rds =
        RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build()) {
      return rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
          .dbInstances()
          .get(0)
          .vpcSecurityGroups()
          .get(0)
          .vpcSecurityGroupId();
    }
  }
}
