package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.Onramp;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.OnboardingWorkflow;
import dev.onramp.workflows.OnboardingWorkflows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Someone has queued an instance-class change on the instance (ApplyImmediately=false). onramp's
 * ModifyDBInstance with ApplyImmediately=true would apply it along with the parameter group, so a
 * run stops at preflight and changes nothing; a rejected reboot leaves the class as it was. Only
 * {@code --apply-pending-modifications} lets it through. The emulator's describes lag behind
 * mutating calls meanwhile, as RDS's do.
 */
class PendingModificationsE2eTest {
  @TempDir static Path dir;
  static E2eEnvironment env;
  static RdsClient rds;

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.startWorker("worker");
    env.aws.inject(Fault.describeLag(E2eEnvironment.INSTANCE, 2));
    rds = RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build();
  }

  @AfterAll
  static void stop() {
    if (rds != null) {
      rds.close();
    }
    if (env != null) {
      env.close();
    }
  }

  private static DBInstance describe() throws InterruptedException {
    // Past the describe lag: the newest of a few answers.
    DBInstance last = null;
    for (int i = 0; i < 3; i++) {
      last =
          rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
              .dbInstances()
              .get(0);
    }
    return last;
  }

  private static int onramp(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--temporal-address", env.temporal.address(), "--task-queue", env.taskQueue));
    return Onramp.commandLine().execute(all.toArray(String[]::new));
  }

  private static int startApproval(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--region",
                E2eEnvironment.REGION,
                "--instance",
                E2eEnvironment.INSTANCE,
                "--database",
                E2eEnvironment.DATABASE,
                "--tables",
                "orders",
                "--reboot-policy",
                "APPROVAL",
                "--poll-interval",
                "1s",
                "--max-wait",
                "5m"));
    args.addAll(List.of(extra));
    return onramp(args.toArray(String[]::new));
  }

  private static OnboardingWorkflow workflow() {
    return env.temporal
        .client()
        .newWorkflowStub(
            OnboardingWorkflow.class,
            OnboardingWorkflows.workflowId(
                E2eEnvironment.REGION, E2eEnvironment.INSTANCE, E2eEnvironment.DATABASE));
  }

  private static OnboardingProgress awaitStatus(OnboardingStatus status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      OnboardingProgress p = workflow().progress();
      if (p.status() == status) {
        return p;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never reached " + status + ": " + p);
      }
      Thread.sleep(250);
    }
  }

  @Test
  void aPendingClassChangeStopsTheRunAndARejectedRebootLeavesTheClass() throws Exception {
    // A window that is not open now, so RDS does not apply the queued change by itself.
    rds.modifyDBInstance(
        b ->
            b.dbInstanceIdentifier(E2eEnvironment.INSTANCE)
                .preferredMaintenanceWindow(closedWindow()));
    String classBefore = describe().dbInstanceClass();
    rds.modifyDBInstance(
        b ->
            b.dbInstanceIdentifier(E2eEnvironment.INSTANCE)
                .dbInstanceClass("db.r6g.large")
                .applyImmediately(false));
    // Queued a while ago: past the describe lag, RDS shows it in PendingModifiedValues.
    assertThat(describe().pendingModifiedValues().dbInstanceClass()).isEqualTo("db.r6g.large");

    // Without the flag: stops at preflight, listing the change; nothing changed.
    assertThat(startApproval("--wait", "--timeout", "3m")).isEqualTo(1);
    OnboardingProgress refused = workflow().progress();
    assertThat(refused.status()).isEqualTo(OnboardingStatus.FAILED);
    assertThat(refused.step(OnboardingStep.PREFLIGHT).message())
        .contains("pending modifications (DBInstanceClass=db.r6g.large)")
        .contains("--apply-pending-modifications");
    DBInstance afterRefusal = describe();
    assertThat(afterRefusal.dbInstanceClass()).isEqualTo(classBefore);
    assertThat(afterRefusal.pendingModifiedValues().dbInstanceClass()).isEqualTo("db.r6g.large");
    assertThat(afterRefusal.dbParameterGroups().get(0).dbParameterGroupName())
        .isEqualTo("default.postgres16");

    // Asking for the current class again replaces the queued change.
    rds.modifyDBInstance(
        b ->
            b.dbInstanceIdentifier(E2eEnvironment.INSTANCE)
                .dbInstanceClass(classBefore)
                .applyImmediately(false));
    assertThat(describe().pendingModifiedValues().dbInstanceClass()).isNull();

    // A run that reached the gate, a class change queued meanwhile, the reboot rejected: onramp
    // makes no ApplyImmediately call after the gate, so the class stays as it was.
    assertThat(startApproval()).isZero();
    awaitStatus(OnboardingStatus.WAITING_FOR_APPROVAL);
    rds.modifyDBInstance(
        b ->
            b.dbInstanceIdentifier(E2eEnvironment.INSTANCE)
                .dbInstanceClass("db.r6g.large")
                .applyImmediately(false));
    assertThat(onramp("reject", "--reason", "not today", "us-east-1/e2e-db/shop")).isZero();
    awaitStatus(OnboardingStatus.FAILED);
    DBInstance afterReject = describe();
    assertThat(afterReject.dbInstanceClass()).isEqualTo(classBefore);
    assertThat(afterReject.pendingModifiedValues().dbInstanceClass()).isEqualTo("db.r6g.large");
    assertThat(afterReject.dbParameterGroups().get(0).dbParameterGroupName())
        .isEqualTo("onramp-postgres16-" + E2eEnvironment.INSTANCE);
    assertThat(afterReject.dbParameterGroups().get(0).parameterApplyStatus())
        .isEqualTo("pending-reboot");
  }

  /** A maintenance window that opens three days from now, so no test sees it open. */
  static String closedWindow() {
    String day =
        java.time.LocalDate.now(java.time.ZoneOffset.UTC)
            .plusDays(3)
            .getDayOfWeek()
            .getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ROOT)
            .toLowerCase(java.util.Locale.ROOT);
    return day + ":00:00-" + day + ":00:30";
  }
}
