package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.rds.Timings;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * Two of RDS's unpleasant parts, through the real SDK: DescribeDBInstances lagging behind a
 * mutating call, and PendingModifiedValues that ApplyImmediately=true applies all at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DescribeLagAndPendingModificationsTest {
  private static final String DB = "lagging-db";

  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(300)))
            .instance(
                DbInstanceSpec.builder(DB)
                    .dbName("shop")
                    .masterUsername("postgres")
                    .instanceClass("db.t4g.micro")
                    .preferredMaintenanceWindow(closedWindow())
                    .build())
            .start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  @AfterEach
  void clearFaults() throws InterruptedException {
    aws.faults().clear();
    awaitInstance(i -> i.dbInstanceStatus().equals("available"));
  }

  private DBInstance describe() {
    return sdk.rds.describeDBInstances(r -> r.dbInstanceIdentifier(DB)).dbInstances().get(0);
  }

  private DBInstance awaitInstance(Predicate<DBInstance> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    DBInstance i = describe();
    while (!condition.test(i)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("instance never reached the expected state: " + i);
      }
      Thread.sleep(50);
      i = describe();
    }
    return i;
  }

  @Test
  void describesLagBehindARebootForTheConfiguredNumberOfCalls() throws Exception {
    aws.inject(Fault.describeLag(DB, 3));
    sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB));

    // The instance is rebooting (a second reboot is refused), but describes still say available.
    assertThatThrownBy(() -> sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB)))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidDBInstanceState"));
    for (int n = 0; n < 3; n++) {
      assertThat(describe().dbInstanceStatus()).as("describe %d", n + 1).isEqualTo("available");
    }
    assertThat(describe().dbInstanceStatus()).isIn("rebooting", "available");
    // The fault stays for the next mutating call; listing it does not use it up.
    assertThat(aws.faults().list())
        .singleElement()
        .satisfies(f -> assertThat(f.count()).isEqualTo(3));
  }

  @Test
  void aDescribeLagAfterModifyShowsTheOldGroup() throws Exception {
    sdk.rds.createDBParameterGroup(
        r ->
            r.dbParameterGroupName("lag-group")
                .dbParameterGroupFamily("postgres16")
                .description("lag"));
    String before = describe().dbParameterGroups().get(0).dbParameterGroupName();
    aws.inject(Fault.describeLag(DB, 2));

    DBInstance answer =
        sdk.rds
            .modifyDBInstance(
                r ->
                    r.dbInstanceIdentifier(DB)
                        .dbParameterGroupName("lag-group")
                        .applyImmediately(true))
            .dbInstance();

    assertThat(answer.dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo("lag-group");
    assertThat(describe().dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo(before);
    assertThat(describe().dbInstanceStatus()).isEqualTo("available");
    assertThat(describe().dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo("lag-group");
  }

  @Test
  void aClassChangeWithoutApplyImmediatelyWaitsAndTheNextApplyImmediatelyAppliesIt()
      throws Exception {
    sdk.rds.modifyDBInstance(
        r -> r.dbInstanceIdentifier(DB).dbInstanceClass("db.r6g.large").applyImmediately(false));

    DBInstance pending = describe();
    assertThat(pending.dbInstanceClass()).isEqualTo("db.t4g.micro");
    assertThat(pending.dbInstanceStatus()).isEqualTo("available");
    assertThat(pending.pendingModifiedValues().dbInstanceClass()).isEqualTo("db.r6g.large");

    // A reboot does not apply pending modifications.
    sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB));
    DBInstance rebooted = awaitInstance(i -> i.dbInstanceStatus().equals("available"));
    assertThat(rebooted.dbInstanceClass()).isEqualTo("db.t4g.micro");
    assertThat(rebooted.pendingModifiedValues().dbInstanceClass()).isEqualTo("db.r6g.large");

    // Someone else's unrelated change with ApplyImmediately=true takes the class change along.
    sdk.rds.modifyDBInstance(
        r ->
            r.dbInstanceIdentifier(DB)
                .dbParameterGroupName("default.postgres16")
                .applyImmediately(true));
    DBInstance applied = awaitInstance(i -> i.dbInstanceStatus().equals("available"));
    assertThat(applied.dbInstanceClass()).isEqualTo("db.r6g.large");
    assertThat(applied.pendingModifiedValues().dbInstanceClass()).isNull();

    sdk.rds.modifyDBInstance(
        r -> r.dbInstanceIdentifier(DB).dbInstanceClass("db.t4g.micro").applyImmediately(true));
    assertThat(awaitInstance(i -> i.dbInstanceStatus().equals("available")).dbInstanceClass())
        .isEqualTo("db.t4g.micro");
  }

  @Test
  void aDescribeLagFaultNeedsACount() {
    assertThatThrownBy(() -> aws.inject(new Fault("describe-lag", null, 0, null, null, DB, null)))
        .hasMessageContaining("describe-lag needs a count");
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

  /** The window around now: opened a minute ago, for half an hour. */
  private static String openWindow() {
    java.time.ZonedDateTime start =
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
            .minusMinutes(1);
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern("EEE:HH:mm", java.util.Locale.ROOT);
    return (f.format(start) + "-" + f.format(start.plusMinutes(30)))
        .toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void pendingModificationsAreAppliedInTheMaintenanceWindow() throws Exception {
    try {
      sdk.rds.modifyDBInstance(
          r -> r.dbInstanceIdentifier(DB).preferredMaintenanceWindow(openWindow()));
      sdk.rds.modifyDBInstance(
          r -> r.dbInstanceIdentifier(DB).dbInstanceClass("db.m6g.large").applyImmediately(false));

      // No ApplyImmediately call: the window applies it.
      awaitInstance(
          i ->
              i.dbInstanceClass().equals("db.m6g.large")
                  && i.pendingModifiedValues().dbInstanceClass() == null
                  && i.dbInstanceStatus().equals("available"));
    } finally {
      sdk.rds.modifyDBInstance(
          r -> r.dbInstanceIdentifier(DB).preferredMaintenanceWindow(closedWindow()));
      sdk.rds.modifyDBInstance(
          r -> r.dbInstanceIdentifier(DB).dbInstanceClass("db.t4g.micro").applyImmediately(true));
    }
  }

  @Test
  void aMalformedMaintenanceWindowIsRefused() {
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBInstance(
                    r -> r.dbInstanceIdentifier(DB).preferredMaintenanceWindow("sunday 5am")))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }
}
