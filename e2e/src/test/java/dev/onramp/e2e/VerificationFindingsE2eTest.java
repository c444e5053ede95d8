package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.VerificationReport;
import dev.onramp.workflows.VerificationStatus;
import dev.onramp.workflows.client.OnboardingClient;
import dev.onramp.workflows.client.ReverificationSchedules;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Acceptance of re-verification (issue 14): one onboarding against the stand-ins and a real
 * Temporal dev server; the schedule's triggered run is healthy; then one drift at a time, each
 * undone before the next, shows up as its own finding with severity and fix: a revoked SELECT, a
 * table out of the publication, a removed ingress rule, new egress IPs, a stalled source, and a
 * slot held inactive while WAL is written (found before the slot is lost). A local webhook receiver
 * gets one message per new finding, across a worker restart.
 */
class VerificationFindingsE2eTest {
  @TempDir Path dir;

  @Test
  void theTriggeredRunIsHealthyThenEachDriftIsItsOwnFinding() throws Exception {
    try (E2eEnvironment env = new E2eEnvironment(dir, Duration.ofSeconds(2));
        WebhookReceiver hook = new WebhookReceiver()) {
      Map<String, String> notifying = Map.of("ONRAMP_WEBHOOK_URL", hook.url());
      Process firstWorker = env.startWorker("worker", notifying);
      // WAL safety (issue 14): onramp sets max_slot_wal_keep_size in the group it creates.
      CliRun run =
          CliRun.of(
              env.startImmediate(
                  E2eEnvironment.DATABASE, "orders", "--set-max-slot-wal-keep-size=16"));
      assertThat(run.code()).as("%s%n%s", run.out(), run.err()).isZero();

      String onboarding =
          OnboardingWorkflows.workflowId("us-east-1", E2eEnvironment.INSTANCE, "shop");
      OnboardingResult onboarded =
          env.temporal
              .client()
              .newUntypedWorkflowStub(onboarding)
              .getResult(OnboardingResult.class);
      assertThat(onboarded.walSafety().advice())
          .contains("max_slot_wal_keep_size is -1")
          .contains("recommended 2048 MB");
      assertThat(onboarded.walSafety().applied())
          .isEqualTo(
              "set max_slot_wal_keep_size to 16 MB in onramp-postgres16-e2e-db (was the default,"
                  + " -1; applied at once, no reboot)");
      OnboardingProgress progress =
          env.temporal
              .client()
              .newUntypedWorkflowStub(onboarding)
              .query("progress", OnboardingProgress.class);
      assertThat(progress.step(OnboardingStep.PREFLIGHT).message())
          .contains("WAL: max_slot_wal_keep_size is -1");
      assertThat(progress.step(OnboardingStep.PARAMETER_GROUP).message())
          .contains("set max_slot_wal_keep_size to 16 MB");
      assertThat(single(env, "SHOW max_slot_wal_keep_size")).isEqualTo("16MB");
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

      // The second worker of the restart below loads while steps 5 and 6 run.
      Path secondLog = dir.resolve("worker-2.log");
      Process secondWorker = env.startWarmWorker(secondLog, onboarding, notifying);
      long addedFrom = System.nanoTime();

      // 5. The upstream out of Materialize's reach: the source stalls with its error. (The
      // stand-in's fault, not a stopped server: the worker's own upstream checks would retry a
      // stopped server for their two-minute bound before reporting it unreachable.)
      env.mz.faults().upstreamUnreachable(true);
      awaitSourceStatus(env, "stalled");
      int toldBefore = hook.messages().size();
      VerificationReport stalled = client.verifyNow(onboarding);
      assertThat(stalled.drift())
          .as("%s", stalled.findings())
          .anySatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo(ResourceKind.MZ_SOURCE);
                assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(f.problem())
                    .contains("is stalled")
                    .contains("error connecting to server: Connection refused");
                assertThat(f.fix()).contains("Materialize cannot reach");
              });
      // Every finding of the run is new since the healthy run: one message each.
      assertThat(hook.messages().subList(toldBefore, hook.messages().size()))
          .hasSize(told(stalled).size());

      // 6. The slot held inactive (the source still cut off) while WAL is written upstream, with
      // max_slot_wal_keep_size at the 16 MB onramp set; meanwhile a second worker takes over (a
      // deploy). The next run finds the retention before the slot is lost, and it alone is told:
      // the stall's findings were told by the first worker, and the second one knows it from the
      // previous run's report in Temporal, not from memory.
      firstWorker.destroyForcibly().waitFor();
      try (Writer go =
          new OutputStreamWriter(secondWorker.getOutputStream(), StandardCharsets.UTF_8)) {
        go.write("go\n");
      }
      upstream(env, "CREATE TABLE filler (v text)");
      while (retainedMb(env) < 9) {
        upstream(
            env,
            "INSERT INTO filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, 2500) g");
      }
      E2eEnvironment.awaitReady(secondWorker, secondLog, "worker-2");
      toldBefore = hook.messages().size();
      VerificationReport retaining = client.verifyNow(onboarding);
      assertThat(walStatus(env)).isNotEqualTo("lost");
      assertThat(retaining.drift())
          .as("%s", retaining.findings())
          .anySatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo(ResourceKind.MZ_SOURCE);
                assertThat(f.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
                assertThat(f.problem()).contains("of WAL of max_slot_wal_keep_size 16 MB");
                assertThat(f.fix()).contains("make sure the source is running");
              })
          .anySatisfy(f -> assertThat(f.problem()).contains("is stalled"));
      List<String> newMessages = hook.messages().subList(toldBefore, hook.messages().size());
      Set<String> fresh = new HashSet<>(told(retaining));
      fresh.removeAll(told(stalled));
      assertThat(newMessages).as("new since the last run: %s", fresh).hasSize(fresh.size());
      assertThat(newMessages)
          .anySatisfy(m -> assertThat(m).contains("of WAL of max_slot_wal_keep_size 16 MB"))
          .noneSatisfy(m -> assertThat(m).contains("is stalled"));
      assertThat(String.join("\n", hook.messages())).doesNotContain(env.mz.password());

      // Materialize reaches the upstream again: the source recovers and consumes the slot.
      env.mz.faults().upstreamUnreachable(false);
      upstream(env, "DROP TABLE filler");
      awaitSourceStatus(env, "running");
      System.out.printf(
          "stall, retention and notification checks took %d s%n",
          Duration.ofNanos(System.nanoTime() - addedFrom).toSeconds());
    }
  }

  /** What the notifier counts as one finding (NotifyActivitiesImpl.identity), warnings and up. */
  private static Set<String> told(VerificationReport report) {
    Set<String> out = new HashSet<>();
    report.drift().stream()
        .filter(f -> f.severity() != Severity.INFO)
        .forEach(
            f ->
                out.add(
                    f.severity()
                        + "|"
                        + f.kind()
                        + "|"
                        + f.identifier()
                        + "|"
                        + f.problem().replaceAll("\\d+", "#")));
    return out;
  }

  private static void awaitSourceStatus(E2eEnvironment env, String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String now = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = env.materialize();
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT status FROM mz_internal.mz_source_statuses"
                          + " WHERE name = 'shop_source'")) {
        now = rs.next() ? rs.getString(1) : null;
      }
      if (status.equals(now)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("source shop_source is " + now + ", not " + status);
  }

  private static long retainedMb(E2eEnvironment env) throws Exception {
    return Long.parseLong(
        single(
            env,
            "SELECT (pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) / 1048576)::int8"
                + " FROM pg_replication_slots WHERE slot_name LIKE 'materialize%'"));
  }

  private static String walStatus(E2eEnvironment env) throws Exception {
    return single(
        env, "SELECT wal_status FROM pg_replication_slots WHERE slot_name LIKE 'materialize%'");
  }

  private static String single(E2eEnvironment env, String sql) throws Exception {
    try (Connection c = env.upstreamAsMaster();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A local HTTP receiver for the worker's webhook: keeps each message's text. */
  private static final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hook",
          ex -> {
            messages.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<String> messages() {
      return List.copyOf(messages);
    }

    @Override
    public void close() {
      server.stop(0);
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

  private static RdsClient rds(E2eEnvironment env) {
    return RdsClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(env.aws.endpoint())
        .build();
  }

  private static String securityGroup(E2eEnvironment env) {
    try (RdsClient rds = rds(env)) {
      return rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
          .dbInstances()
          .get(0)
          .vpcSecurityGroups()
          .get(0)
          .vpcSecurityGroupId();
    }
  }
}
