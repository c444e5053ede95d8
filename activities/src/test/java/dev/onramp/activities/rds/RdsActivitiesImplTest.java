package dev.onramp.activities.rds;

import static dev.onramp.activities.aws.EmulatorAws.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.rds.Timings;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
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

  private java.util.Map<String, String> tags(String group) {
    String arn =
        aws.rds(REGION)
            .describeDBParameterGroups(b -> b.dbParameterGroupName(group))
            .dbParameterGroups()
            .get(0)
            .dbParameterGroupArn();
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
    rds.associateParameterGroup(REGION, id, plan.targetGroup());
    poll(() -> rds.checkAvailable(REGION, id));
    RebootOutcome outcome = rds.reboot(REGION, id, Instant.now().minusSeconds(1));
    InstanceState state = poll(() -> rds.checkRebooted(REGION, id, plan.targetGroup()));
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
    rds.associateParameterGroup(REGION, "orders-db", again.targetGroup());
    assertThat(rds.checkAvailable(REGION, "orders-db").parameterApplyStatus()).isEqualTo("in-sync");
    assertThat(rds.reboot(REGION, "orders-db", Instant.now().minusSeconds(60)))
        .isEqualTo(RebootOutcome.ALREADY_REBOOTED);
    assertThat(groupNames()).isEqualTo(groupsAfterFirstRun);
  }

  @Test
  @Order(1)
  void aSharedGroupIsCopiedAndAnUnsharedOneModifiedInPlace() throws Exception {
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
    rds.associateParameterGroup(REGION, "shared-a", copy.targetGroup());
    poll(() -> rds.checkAvailable(REGION, "shared-a"));
    assertThat(rds.describeInstance(REGION, "shared-b").parameterGroup()).isEqualTo("shared-group");

    ParameterGroupPlan inPlace = rds.planParameterGroup(REGION, "shared-b");
    assertThat(inPlace.action()).isEqualTo(ParameterGroupPlan.Action.MODIFY_IN_PLACE);
    assertThat(inPlace.targetGroup()).isEqualTo("shared-group");
    rds.prepareParameterGroup(REGION, inPlace);
    assertThat(rds.planParameterGroup(REGION, "shared-b").action())
        .isEqualTo(ParameterGroupPlan.Action.ALREADY_SET);
  }

  @Test
  @Order(2)
  void aRebootThatDoesNotApplyTheGroupIsReportedNotAwaitedForever() throws Exception {
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "shared-b");
    rds.prepareParameterGroup(REGION, plan);
    rds.associateParameterGroup(REGION, "shared-b", plan.targetGroup());
    poll(() -> rds.checkAvailable(REGION, "shared-b"));
    emulator.inject(Fault.rebootWithoutApply("shared-b", 1));
    assertThat(rds.reboot(REGION, "shared-b", Instant.now())).isEqualTo(RebootOutcome.REBOOTED);
    assertThat(rds.reboot(REGION, "shared-b", Instant.now()))
        .isEqualTo(RebootOutcome.ALREADY_REBOOTING);
    InstanceState state = poll(() -> rds.checkRebooted(REGION, "shared-b", plan.targetGroup()));
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
}
