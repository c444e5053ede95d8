package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.verification.ReverificationActivities;
import dev.onramp.activities.verification.ScheduleRemoval;
import dev.onramp.activities.verification.ScheduleRequest;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.rds.Timings;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.worker.ProductionActivities;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.OnboardingWorkflow;
import dev.onramp.workflows.OnboardingWorkflowImpl;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.VerificationWorkflowImpl;
import dev.onramp.workflows.WaitSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's acceptance against the AWS emulator: right after the reboot is approved, RDS throttles
 * and the instance is in {@code backing-up} (answering {@code InvalidDBInstanceState} to the
 * reboot) for ten minutes of workflow time; the run waits it out and completes. Real activities
 * against the emulator and the Materialize stand-in; Temporal's in-process test server skips the
 * retry back-offs, so ten minutes of workflow time take seconds.
 */
class AwsFaultsAfterApprovalTest {
  static final String INSTANCE = "busy-db";
  @TempDir Path dir;

  /** Re-verification without Temporal Schedules (the in-process test server has none). */
  static final class NoSchedules implements ReverificationActivities {
    @Override
    public String ensureSchedule(OnboardingRequest request, Duration every) {
      throw new UnsupportedOperationException("no schedules in the in-process test server");
    }

    @Override
    public boolean deleteSchedule(OnboardingRequest request) {
      return false;
    }

    @Override
    public LedgerEntry convergeSchedule(ScheduleRequest request) {
      throw new UnsupportedOperationException("not used by this test");
    }

    @Override
    public dev.onramp.activities.ledger.PlannedChange planSchedule(ScheduleRequest request) {
      throw new UnsupportedOperationException("not used by this test");
    }

    @Override
    public Removal removeSchedule(ScheduleRemoval removal) {
      throw new UnsupportedOperationException("not used by this test");
    }

    @Override
    public boolean retargetSchedule(
        dev.onramp.activities.verification.ScheduleTablesChange change) {
      throw new UnsupportedOperationException("not used by this test");
    }
  }

  @Test
  void throttlingAndABackupForTenMinutesAfterApprovalEndInACompletedRun() throws Exception {
    System.setProperty("aws.accessKeyId", "e2e");
    System.setProperty("aws.secretAccessKey", "e2e");
    System.setProperty("aws.region", "us-east-1");
    try (AwsEmulator aws =
            AwsEmulator.builder()
                .stateDir(dir.resolve("aws"))
                .timings(
                    new Timings(
                        Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofSeconds(1)))
                .instance(
                    DbInstanceSpec.builder(INSTANCE)
                        .dbName("shop")
                        .publiclyAccessible(true)
                        .seedSql(
                            "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)",
                            "INSERT INTO orders SELECT g, 'i' || g FROM generate_series(1, 50) g")
                        .build())
                .start();
        MaterializeStandIn mz =
            MaterializeStandIn.builder()
                .stateDir(dir.resolve("mz"))
                .egressCidrs(List.of("127.0.0.1/32"))
                .start();
        TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance()) {
      dev.onramp.workflows.OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(
          temporal::registerSearchAttribute);
      String queue = "faults";
      ProductionActivities activities =
          new ProductionActivities(
              // Two SDK attempts per activity attempt: Temporal's retries (whose back-off the
              // test server skips) do the waiting, not the SDK's real-time back-off.
              new AwsSettings(aws.endpoint(), Duration.ofSeconds(30), 2),
              new MaterializeSettings(
                  mz.host(),
                  mz.port(),
                  mz.user(),
                  mz.password(),
                  "materialize",
                  mz.ssl() ? "require" : "disable"),
              // The upstream is verified against the emulator's CA, as in production.
              new PgTls("verify-full", aws.caCertificate().toString()),
              Map.of(),
              temporal.getWorkflowClient(),
              queue);
      Worker worker = temporal.newWorker(queue);
      worker.registerWorkflowImplementationTypes(
          OnboardingWorkflowImpl.class, VerificationWorkflowImpl.class);
      // The in-process server has no Schedules, so re-verification (off in this request) gets a
      // stand-in that has no schedule to delete; every other activity is the production one.
      List<Object> implementations = new ArrayList<>();
      for (Object impl : activities.implementations()) {
        if (!(impl instanceof ReverificationActivities)) {
          implementations.add(impl);
        }
      }
      implementations.add(new NoSchedules());
      worker.registerActivitiesImplementations(implementations.toArray());
      temporal.start();

      OnboardingRequest request =
          OnboardingRequest.of("us-east-1", INSTANCE, "shop", TableSelection.tables("orders"))
              .withRebootPolicy(RebootPolicy.APPROVAL)
              .withWaits(
                  new WaitSettings(
                      Duration.ofSeconds(5),
                      Duration.ofMinutes(30),
                      Duration.ofSeconds(1),
                      Duration.ofMinutes(30),
                      Duration.ofHours(1)))
              // The in-process server has no Schedules.
              .withReverifyEvery(Duration.ZERO);
      WorkflowClient client = temporal.getWorkflowClient();
      OnboardingWorkflow wf =
          client.newWorkflowStub(
              OnboardingWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(queue)
                  .setWorkflowId("onboard/us-east-1/" + INSTANCE + "/shop")
                  .build());
      WorkflowClient.start(wf::onboard, request);

      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      OnboardingProgress p = wf.progress();
      while (p.status() != OnboardingStatus.WAITING_FOR_APPROVAL) {
        assertThat(System.nanoTime()).as("progress: %s", p).isLessThan(deadline);
        Thread.sleep(200);
        p = wf.progress();
      }

      // The moment the person approves, RDS starts a backup (ten minutes, until the faults are
      // cleared below) and throttles the next ten reboot and describe calls: every call the
      // reboot makes is throttled (the SDK retrying it as well as Temporal) before the instance
      // answers that it is busy.
      aws.inject(Fault.stuck(INSTANCE, "backing-up"));
      aws.inject(Fault.throttle("RebootDBInstance", 10));
      aws.inject(Fault.throttle("DescribeDBInstances", 10));
      long approvedAt = temporal.currentTimeMillis();
      AtomicLong clearedAt = new AtomicLong();
      Thread backupEnds =
          new Thread(
              () -> {
                while (temporal.currentTimeMillis() - approvedAt
                    < Duration.ofMinutes(10).toMillis()) {
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                aws.faults().clear();
                clearedAt.set(temporal.currentTimeMillis());
              });
      backupEnds.setDaemon(true);
      backupEnds.start();
      wf.approveReboot("tester");

      OnboardingResult result =
          WorkflowStub.fromTyped(wf).getResult(3, TimeUnit.MINUTES, OnboardingResult.class);
      backupEnds.interrupt();

      assertThat(result.reboots()).isEqualTo(1);
      // Both kinds of refusal reached the run: throttling, then the busy instance.
      var reboots = aws.callLog().calls(c -> "RebootDBInstance".equals(c.action()));
      assertThat(reboots.stream().filter(c -> c.throttled()).count())
          .as("throttled RebootDBInstance calls")
          .isEqualTo(10);
      assertThat(reboots.stream().filter(c -> !c.throttled() && c.status() == 400).count())
          .as("RebootDBInstance refused as InvalidDBInstanceState while backing-up")
          .isPositive();
      assertThat(clearedAt.get()).as("the backup lasted its ten minutes").isPositive();
      assertThat(temporal.currentTimeMillis() - approvedAt)
          .isGreaterThanOrEqualTo(Duration.ofMinutes(10).toMillis());
      assertThat(wf.progress().status()).isEqualTo(OnboardingStatus.COMPLETED);
      var i = aws.instance(INSTANCE);
      try (Connection c =
              DriverManager.getConnection(i.jdbcUrl(), i.masterUsername(), i.masterPassword());
          ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("logical");
      }
    }
  }
}
