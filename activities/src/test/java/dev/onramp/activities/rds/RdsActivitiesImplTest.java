package dev.onramp.activities.rds;

import static dev.onramp.activities.aws.EmulatorAws.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.rds.Timings;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;

/** The RDS activities against the AWS emulator, whose instances are real PostgreSQL servers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RdsActivitiesImplTest {
  private static final String REGION = "us-east-1";

  private AwsEmulator emulator;
  private AwsClients aws;
  private RdsActivitiesImpl rds;

  @BeforeAll
  void start() {
    emulator =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(200)))
            .instance(DbInstanceSpec.builder("orders-db").dbName("orders").build())
            .instance(DbInstanceSpec.builder("shared-a").parameterGroup("shared-group").build())
            .instance(DbInstanceSpec.builder("shared-b").parameterGroup("shared-group").build())
            .instance(DbInstanceSpec.builder("lagging-db").build())
            .instance(
                DbInstanceSpec.builder("pending-db")
                    .instanceClass("db.t4g.micro")
                    .preferredMaintenanceWindow(closedWindow())
                    .build())
            .instance(DbInstanceSpec.builder("foreign-group-db").build())
            .start();
    aws = EmulatorAws.clients(emulator);
    rds = new RdsActivitiesImpl(aws);
  }

  @AfterAll
  void stop() {
    aws.close();
    emulator.close();
  }

  private List<String> groupNames() {
    return aws.rds(REGION).describeDBParameterGroupsPaginator(b -> {}).dbParameterGroups().stream()
        .map(DBParameterGroup::dbParameterGroupName)
        .toList();
  }

  private String walLevel(String id) throws Exception {
    InstanceInfo i = emulator.instance(id);
    Properties p = new Properties();
    p.setProperty("user", i.masterUsername());
    p.setProperty("password", i.masterPassword());
    p.setProperty("sslmode", "require");
    try (Connection c = DriverManager.getConnection(i.jdbcUrl(), p);
        ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String groupArn(String group) {
    return aws.rds(REGION)
        .describeDBParameterGroups(b -> b.dbParameterGroupName(group))
        .dbParameterGroups()
        .get(0)
        .dbParameterGroupArn();
  }

  private void tag(String group, String key, String value) {
    aws.rds(REGION)
        .addTagsToResource(
            b ->
                b.resourceName(groupArn(group))
                    .tags(
                        software.amazon.awssdk.services.rds.model.Tag.builder()
                            .key(key)
                            .value(value)
                            .build()));
  }

  private java.util.Map<String, String> tags(String group) {
    String arn = groupArn(group);
    java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
    aws.rds(REGION)
        .listTagsForResource(b -> b.resourceName(arn))
        .tagList()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private List<String> userParameters(String group) {
    return aws
        .rds(REGION)
        .describeDBParametersPaginator(b -> b.dbParameterGroupName(group).source("user"))
        .parameters()
        .stream()
        .map(p -> p.parameterName() + "=" + p.parameterValue())
        .toList();
  }

  @Test
  void aGroupWithOnrampsNameThatOnrampDidNotCreateIsNotChanged() {
    String name = "onramp-postgres16-foreign-group-db";
    String arn =
        aws.rds(REGION)
            .createDBParameterGroup(
                b ->
                    b.dbParameterGroupName(name)
                        .dbParameterGroupFamily("postgres16")
                        .description("someone else's"))
            .dbParameterGroup()
            .dbParameterGroupArn();
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "foreign-group-db");
    assertThat(plan.action()).isEqualTo(ParameterGroupPlan.Action.CREATE);
    assertThat(plan.targetGroup()).isEqualTo(name);

    assertThatThrownBy(() -> rds.prepareParameterGroup(REGION, plan))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("ForeignObject");
              assertThat(f.getOriginalMessage())
                  .contains(name, "not created by onramp", "add-tags-to-resource", arn);
            });
    assertThat(userParameters(name)).isEmpty();
    assertThat(tags(name)).isEmpty();

    // Tagged by its owner, as the message says: onramp may now set the parameter in it.
    aws.rds(REGION)
        .addTagsToResource(
            b ->
                b.resourceName(arn)
                    .tags(
                        software.amazon.awssdk.services.rds.model.Tag.builder()
                            .key("managed-by")
                            .value("onramp")
                            .build()));
    rds.prepareParameterGroup(REGION, plan);
    assertThat(userParameters(name)).contains("rds.logical_replication=1");
  }

  /** What the workflow does in steps 3 to 5, with the polling done here. */
  private RebootOutcome onboard(String id) throws Exception {
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, id);
    rds.prepareParameterGroup(REGION, plan);
    rds.associateParameterGroup(REGION, id, plan.targetGroup(), false);
    poll(() -> rds.checkAssociated(REGION, id, plan.targetGroup()));
    Instant requested = Instant.now().minusSeconds(1);
    RebootOutcome outcome = rds.reboot(REGION, id, requested);
    InstanceState state = poll(() -> rds.checkRebooted(REGION, id, plan.targetGroup(), requested));
    assertThat(state.status()).isEqualTo("available");
    assertThat(state.parameterApplyStatus()).isEqualTo("in-sync");
    return outcome;
  }

  @Test
  void describesTheInstance() {
    DbInstanceInfo i = rds.describeInstance(REGION, "orders-db");
    assertThat(i.engine()).isEqualTo("postgres");
    assertThat(i.endpointAddress()).isEqualTo("127.0.0.1");
    assertThat(i.endpointPort()).isEqualTo(emulator.instance("orders-db").port());
    assertThat(i.dbName()).isEqualTo("orders");
    assertThat(i.masterUserSecretArn()).contains(":secret:rds!db-");
    assertThat(i.securityGroupIds()).singleElement().asString().startsWith("sg-");
    assertThat(i.preferredMaintenanceWindow()).isEqualTo("sun:05:00-sun:06:00");
    assertThat(i.dbClusterId()).isNull();
  }

  @Test
  void aDefaultGroupIsReplacedByANewOneAndTheRebootAppliesIt() throws Exception {
    assertThat(walLevel("orders-db")).isEqualTo("replica");
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "orders-db");
    assertThat(plan.action()).isEqualTo(ParameterGroupPlan.Action.CREATE);
    assertThat(plan.currentGroup()).isEqualTo("default.postgres16");
    assertThat(plan.targetGroup()).isEqualTo("onramp-postgres16-orders-db");

    assertThat(onboard("orders-db")).isEqualTo(RebootOutcome.REBOOTED);
    assertThat(walLevel("orders-db")).isEqualTo("logical");
    assertThat(tags("onramp-postgres16-orders-db"))
        .containsEntry("managed-by", "onramp")
        .containsEntry("onramp:region", REGION)
        .containsEntry("onramp:source-group", "default.postgres16");
    List<String> groupsAfterFirstRun = groupNames();

    // The second run changes nothing: same groups, no second reboot.
    ParameterGroupPlan again = rds.planParameterGroup(REGION, "orders-db");
    assertThat(again.action()).isEqualTo(ParameterGroupPlan.Action.ALREADY_SET);
    rds.prepareParameterGroup(REGION, again);
    rds.associateParameterGroup(REGION, "orders-db", again.targetGroup(), false);
    assertThat(rds.checkAvailable(REGION, "orders-db").parameterApplyStatus()).isEqualTo("in-sync");
    assertThat(rds.reboot(REGION, "orders-db", Instant.now().minusSeconds(60)))
        .isEqualTo(RebootOutcome.ALREADY_REBOOTED);
    assertThat(groupNames()).isEqualTo(groupsAfterFirstRun);
  }

  @Test
  @Order(1)
  void aSharedOrForeignGroupIsCopiedAndOnlyOnrampsOwnModifiedInPlace() throws Exception {
    ParameterGroupPlan copy = rds.planParameterGroup(REGION, "shared-a");
    assertThat(copy.action()).isEqualTo(ParameterGroupPlan.Action.COPY);
    assertThat(copy.reason()).contains("shared-b");
    rds.prepareParameterGroup(REGION, copy);
    rds.prepareParameterGroup(REGION, copy); // a retry: nothing new
    assertThat(groupNames()).containsOnlyOnce(copy.targetGroup());
    // The copy is marked as onramp's; it does not take the source group's tags.
    assertThat(tags(copy.targetGroup()))
        .containsEntry("managed-by", "onramp")
        .containsEntry("onramp:source-group", "shared-group");
    rds.associateParameterGroup(REGION, "shared-a", copy.targetGroup(), false);
    poll(() -> rds.checkAssociated(REGION, "shared-a", copy.targetGroup()));
    assertThat(rds.describeInstance(REGION, "shared-b").parameterGroup()).isEqualTo("shared-group");

    // Used by shared-b only now, but not onramp's: copied, never changed.
    ParameterGroupPlan foreign = rds.planParameterGroup(REGION, "shared-b");
    assertThat(foreign.action()).isEqualTo(ParameterGroupPlan.Action.COPY);
    assertThat(foreign.reason()).contains("was not created by onramp");
    assertThat(foreign.targetGroup()).isEqualTo("onramp-postgres16-shared-b");

    // Even tagged as onramp's, a group onramp did not name is not taken over.
    tag("shared-group", "managed-by", "onramp");
    assertThat(rds.planParameterGroup(REGION, "shared-b").action())
        .isEqualTo(ParameterGroupPlan.Action.COPY);

    // onramp's own group, with the parameter turned off by someone, is set again in place.
    aws.rds(REGION)
        .modifyDBParameterGroup(
            b ->
                b.dbParameterGroupName(copy.targetGroup())
                    .parameters(
                        software.amazon.awssdk.services.rds.model.Parameter.builder()
                            .parameterName("rds.logical_replication")
                            .parameterValue("0")
                            .applyMethod("pending-reboot")
                            .build()));
    ParameterGroupPlan inPlace = rds.planParameterGroup(REGION, "shared-a");
    assertThat(inPlace.action()).isEqualTo(ParameterGroupPlan.Action.MODIFY_IN_PLACE);
    assertThat(inPlace.targetGroup()).isEqualTo(copy.targetGroup());
    rds.prepareParameterGroup(REGION, inPlace);
    assertThat(rds.planParameterGroup(REGION, "shared-a").action())
        .isEqualTo(ParameterGroupPlan.Action.ALREADY_SET);
  }

  @Test
  @Order(2)
  void aRebootThatDoesNotApplyTheGroupIsReportedNotAwaitedForever() throws Exception {
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "shared-b");
    rds.prepareParameterGroup(REGION, plan);
    rds.associateParameterGroup(REGION, "shared-b", plan.targetGroup(), false);
    poll(() -> rds.checkAssociated(REGION, "shared-b", plan.targetGroup()));
    emulator.inject(Fault.rebootWithoutApply("shared-b", 1));
    Instant requested = Instant.now().minusSeconds(1);
    assertThat(rds.reboot(REGION, "shared-b", requested)).isEqualTo(RebootOutcome.REBOOTED);
    assertThat(rds.reboot(REGION, "shared-b", requested))
        .isEqualTo(RebootOutcome.ALREADY_REBOOTING);
    InstanceState state =
        poll(() -> rds.checkRebooted(REGION, "shared-b", plan.targetGroup(), requested));
    assertThat(state.parameterApplyStatus()).isEqualTo("pending-reboot");
  }

  @Test
  void unknownInstancesFailNonRetryably() {
    assertThatThrownBy(() -> rds.describeInstance(REGION, "no-such-db"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("InstanceNotFound");
              assertThat(f.getOriginalMessage()).contains("no-such-db", REGION);
            });
  }

  @Test
  void throttlingIsAbsorbedByTheSdkRetries() {
    emulator.inject(Fault.throttle("DescribeDBInstances", 3));
    assertThat(rds.describeInstance(REGION, "orders-db").dbInstanceId()).isEqualTo("orders-db");
  }

  @Test
  void waitsDecideOnEvidenceNotOnALaggingDescribe() throws Exception {
    String id = "lagging-db";
    emulator.inject(Fault.describeLag(id, 4));
    try {
      ParameterGroupPlan plan = rds.planParameterGroup(REGION, id);
      rds.prepareParameterGroup(REGION, plan);
      rds.associateParameterGroup(REGION, id, plan.targetGroup(), false);

      // The lagging describes still show the old group as available: not evidence.
      assertThatThrownBy(() -> rds.checkAssociated(REGION, id, plan.targetGroup()))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo("NotReady");
                assertThat(f.getOriginalMessage()).contains("still shows parameter group default");
              });
      InstanceState associated = poll(() -> rds.checkAssociated(REGION, id, plan.targetGroup()));
      assertThat(associated.parameterGroup()).isEqualTo(plan.targetGroup());
      assertThat(associated.parameterApplyStatus()).isEqualTo("pending-reboot");

      Instant requested = Instant.now().minusMillis(100);
      assertThat(rds.reboot(REGION, id, requested)).isEqualTo(RebootOutcome.REBOOTED);
      // Describes still say "available, pending-reboot", as before the reboot: no decision yet.
      assertThatThrownBy(() -> rds.checkRebooted(REGION, id, plan.targetGroup(), requested))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo("NotReady");
                assertThat(f.getOriginalMessage()).contains("no restart of " + id);
              });
      poll(() -> rds.checkRebooted(REGION, id, plan.targetGroup(), requested));
      // When the wait is satisfied, the reboot really happened.
      assertThat(walLevel(id)).isEqualTo("logical");
    } finally {
      emulator.faults().clear();
    }
  }

  /** The workflow side of a reboot wait: each poll is an attempt, as OnboardingActivities sets. */
  @WorkflowInterface
  public interface RebootWait {
    @WorkflowMethod
    InstanceState await(String dbInstanceId, String parameterGroup, Instant requestedAt);
  }

  public static class RebootWaitImpl implements RebootWait {
    static final Duration POLL = Duration.ofMillis(100);

    private final RebootCheck poll =
        Workflow.newActivityStub(
            RebootCheck.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setScheduleToCloseTimeout(Duration.ofSeconds(60))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(POLL)
                        .setBackoffCoefficient(1)
                        .setMaximumInterval(POLL)
                        .setMaximumAttempts(0)
                        .build())
                .build());

    @Override
    public InstanceState await(String dbInstanceId, String parameterGroup, Instant requestedAt) {
      return poll.checkRebooted(REGION, dbInstanceId, parameterGroup, requestedAt);
    }
  }

  /** {@link RdsActivities#checkRebooted}, counting its polls (the attempts Temporal made). */
  @ActivityInterface
  public interface RebootCheck {
    InstanceState checkRebooted(
        String region, String dbInstanceId, String parameterGroup, Instant requestedAt);
  }

  static final class CountedRebootCheck implements RebootCheck {
    private final RdsActivitiesImpl rds;
    final AtomicInteger polls = new AtomicInteger();

    CountedRebootCheck(RdsActivitiesImpl rds) {
      this.rds = rds;
    }

    @Override
    public InstanceState checkRebooted(
        String region, String dbInstanceId, String parameterGroup, Instant requestedAt) {
      polls.set(Activity.getExecutionContext().getInfo().getAttempt());
      return rds.checkRebooted(region, dbInstanceId, parameterGroup, requestedAt);
    }
  }

  /** The wait as a workflow on Temporal's test server; the calls it cost and its polls. */
  private record Waited(InstanceState state, long describes, long describeEvents, int polls) {}

  /**
   * Runs the wait as a workflow on Temporal's test server, {@code reboot} once its first poll has
   * asked (null: the reboot is done already); the calls it cost and its polls.
   */
  private Waited waitForReboot(
      TestWorkflowEnvironment env,
      CountedRebootCheck check,
      String id,
      String group,
      Instant requestedAt,
      Runnable reboot)
      throws InterruptedException {
    emulator.callLog().clear();
    String workflowId = "reboot-wait-" + UUID.randomUUID();
    RebootWait wait =
        env.getWorkflowClient()
            .newWorkflowStub(
                RebootWait.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue("reboot-wait")
                    .setWorkflowId(workflowId)
                    .build());
    WorkflowClient.start(wait::await, id, group, requestedAt);
    if (reboot != null) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (emulator.callLog().calls(c -> c.action().equals("DescribeEvents")).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      reboot.run();
    }
    InstanceState state = WorkflowStub.fromTyped(wait).getResult(InstanceState.class);
    int polls = check.polls.get();
    return new Waited(
        state,
        emulator.callLog().calls(c -> c.action().equals("DescribeDBInstances")).size(),
        emulator.callLog().calls(c -> c.action().equals("DescribeEvents")).size(),
        polls);
  }

  @Test
  @Order(3)
  void aRebootWaitSpendsAtMostOneDescribePerPollAndCarriesWhatItSawToTheNextPoll()
      throws Exception {
    String id = "orders-db";
    String group = rds.describeInstance(REGION, id).parameterGroup();
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    // One SDK attempt per call, so an injected throttle fails the poll instead of being retried.
    try (AwsClients once =
        new AwsClients(new AwsSettings(emulator.endpoint(), Duration.ofSeconds(30), 1))) {
      Worker worker = env.newWorker("reboot-wait");
      worker.registerWorkflowImplementationTypes(RebootWaitImpl.class);
      CountedRebootCheck check = new CountedRebootCheck(new RdsActivitiesImpl(once));
      worker.registerActivitiesImplementations(check);
      env.start();
      emulator.inject(Fault.describeLag(id, 2));

      // A whole wait from the reboot on: DescribeEvents each poll until the restart shows, a
      // DescribeDBInstances only at every third poll before it (the third, the sixth...), then
      // two reads that agree.
      // The reboot is sent once the first poll has asked (a reboot of the emulator is quicker
      // than a workflow's start), with the SDK directly: only the wait's calls are counted.
      Instant requested = Instant.now().minusMillis(100);
      Waited whole =
          waitForReboot(
              env,
              check,
              id,
              group,
              requested,
              () -> aws.rds(REGION).rebootDBInstance(b -> b.dbInstanceIdentifier(id)));
      assertThat(whole.state()).isEqualTo(new InstanceState("available", group, "in-sync"));
      assertThat(whole.polls()).as("polls of %s", whole).isGreaterThan(1);
      assertThat(whole.describeEvents()).as("DescribeEvents calls").isEqualTo(whole.polls());
      int before = whole.polls() - 1;
      assertThat(whole.describes())
          .as("DescribeDBInstances calls in %d polls", whole.polls())
          .isEqualTo(before / RdsActivitiesImpl.TERMINAL_CHECK_EVERY + 2L);

      // The restart seen, then two polls whose describe fails (throttled): the next polls read
      // what the first saw from its heartbeat details and never ask DescribeEvents again.
      Instant again = Instant.now().minusMillis(100);
      rds.reboot(REGION, id, again);
      poll(() -> rds.checkRebooted(REGION, id, group, again));
      emulator.inject(Fault.throttle("DescribeDBInstances", 2));
      Waited carried = waitForReboot(env, check, id, group, again, null);
      assertThat(carried.state()).isEqualTo(new InstanceState("available", group, "in-sync"));
      assertThat(carried.polls()).as("polls").isEqualTo(3);
      assertThat(carried.describeEvents()).as("DescribeEvents calls").isEqualTo(1);
      assertThat(carried.describes()).as("DescribeDBInstances calls, 2 throttled").isEqualTo(4);

      // No restart will come: the instance shows a state no wait leaves. The third poll reads it
      // and fails the wait for good, naming the state, instead of polling until the wait's bound.
      emulator.inject(Fault.stuck(id, "incompatible-parameters"));
      Instant never = Instant.now();
      assertThatThrownBy(() -> waitForReboot(env, check, id, group, never, null))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause()
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.isNonRetryable()).isTrue();
                assertThat(f.getOriginalMessage())
                    .contains(id, "incompatible-parameters", "will not become available");
              });
      assertThat(check.polls.get()).isEqualTo(RdsActivitiesImpl.TERMINAL_CHECK_EVERY);
      assertThat(emulator.callLog().calls(c -> c.action().equals("DescribeDBInstances")))
          .as("DescribeDBInstances calls before the third poll")
          .hasSize(1);
    } finally {
      emulator.faults().clear();
      env.close();
    }
  }

  @Test
  void pendingModificationsAreListedAndNotAppliedUnlessAsked() throws Exception {
    String id = "pending-db";
    aws.rds(REGION)
        .modifyDBInstance(
            b ->
                b.dbInstanceIdentifier(id).dbInstanceClass("db.r6g.large").applyImmediately(false));
    DbInstanceInfo before = rds.describeInstance(REGION, id);
    assertThat(before.pending()).containsExactly("DBInstanceClass=db.r6g.large");

    ParameterGroupPlan plan = rds.planParameterGroup(REGION, id);
    rds.prepareParameterGroup(REGION, plan);
    assertThatThrownBy(() -> rds.associateParameterGroup(REGION, id, plan.targetGroup(), false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("PendingModifications");
              assertThat(f.getOriginalMessage())
                  .contains("DBInstanceClass=db.r6g.large", "--apply-pending-modifications");
            });
    // Nothing changed: neither the class nor the group.
    String classNow =
        aws.rds(REGION)
            .describeDBInstances(b -> b.dbInstanceIdentifier(id))
            .dbInstances()
            .get(0)
            .dbInstanceClass();
    assertThat(classNow).isEqualTo("db.t4g.micro");
    assertThat(rds.describeInstance(REGION, id).parameterGroup()).isEqualTo("default.postgres16");

    // Asked to: the association applies them too.
    rds.associateParameterGroup(REGION, id, plan.targetGroup(), true);
    poll(() -> rds.checkAssociated(REGION, id, plan.targetGroup()));
    DbInstanceInfo after = rds.describeInstance(REGION, id);
    assertThat(after.pending()).isEmpty();
    assertThat(
            aws.rds(REGION)
                .describeDBInstances(b -> b.dbInstanceIdentifier(id))
                .dbInstances()
                .get(0)
                .dbInstanceClass())
        .isEqualTo("db.r6g.large");
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
