package dev.onramp.activities.rds;

import static dev.onramp.activities.aws.EmulatorAws.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbClusterSpec;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.rds.Timings;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * The RDS activities on Aurora PostgreSQL against the emulator: membership, the refusals (reader,
 * MySQL engines), the DB cluster parameter group created and tagged, ModifyDBCluster, the writer's
 * reboot and the member's apply status, drift, and the way back that offboarding takes, with the
 * emulator enforcing iam/onramp-policy.json. Ordered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraRdsActivitiesTest {
  private static final String REGION = "us-east-1";
  private static final String CLUSTER = "orders-cluster";
  private static final String WRITER = "orders-writer";
  private static final String READER = "orders-reader";
  private static final String TARGET = "onramp-aurora-postgresql16-orders-cluster";

  private AwsEmulator emulator;
  private AwsClients aws;
  private RdsActivitiesImpl rds;

  @BeforeAll
  void start() {
    emulator =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(200)))
            .cluster(
                DbClusterSpec.builder(CLUSTER)
                    .writer(WRITER)
                    .reader(READER)
                    .dbName("orders")
                    .build())
            .cluster(
                DbClusterSpec.builder("billing-cluster")
                    .clusterParameterGroup("team-group")
                    .build())
            .cluster(DbClusterSpec.builder("shop-mysql").engine("aurora-mysql").build())
            .instance(DbInstanceSpec.builder("legacy-mysql").engine("mysql").build())
            // Every call below, onboarding's and offboarding's, is one the policy grants.
            .iamPolicy(Path.of("..", "iam", "onramp-policy.json"))
            .start();
    aws = EmulatorAws.clients(emulator);
    rds = new RdsActivitiesImpl(aws);
  }

  @AfterAll
  void stop() {
    aws.close();
    emulator.close();
  }

  private DBCluster cluster() {
    return aws.rds(REGION)
        .describeDBClusters(b -> b.dbClusterIdentifier(CLUSTER))
        .dbClusters()
        .get(0);
  }

  private String walLevel() throws Exception {
    InstanceInfo i = emulator.instance(WRITER);
    Properties p = new Properties();
    p.setProperty("user", i.masterUsername());
    p.setProperty("password", i.masterPassword());
    try (Connection c = DriverManager.getConnection(i.jdbcUrl(), p);
        ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @Order(1)
  void aWriterIsDescribedWithItsCluster() {
    DbInstanceInfo w = rds.describeInstance(REGION, WRITER);
    assertThat(w.engine()).isEqualTo("aurora-postgresql");
    assertThat(w.inCluster()).isTrue();
    assertThat(w.cluster().dbClusterId()).isEqualTo(CLUSTER);
    assertThat(w.cluster().writer()).isTrue();
    assertThat(w.cluster().writerInstanceId()).isEqualTo(WRITER);
    assertThat(w.parameterGroup()).isEqualTo("default.aurora-postgresql16");
    assertThat(w.parameterApplyStatus()).isEqualTo("in-sync");
    // The member shows no MasterUserSecret; the cluster's is the one.
    assertThat(w.masterUserSecretArn()).isEqualTo(cluster().masterUserSecret().secretArn());
    DbInstanceInfo r = rds.describeInstance(REGION, READER);
    assertThat(r.cluster().writer()).isFalse();
    assertThat(r.cluster().writerInstanceId()).isEqualTo(WRITER);
  }

  @Test
  @Order(2)
  void readersAndMysqlEnginesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> rds.planParameterGroup(REGION, READER))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("reader of Aurora cluster " + CLUSTER)
                  .contains("use the writer, " + WRITER);
            });
    assertThatThrownBy(() -> rds.planParameterGroup(REGION, "legacy-mysql"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("uses engine mysql"));
    assertThatThrownBy(() -> rds.planParameterGroup(REGION, "shop-mysql-instance-1"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("uses engine aurora-mysql"));
  }

  @Test
  @Order(3)
  void aForeignCustomClusterGroupIsCopiedNotChanged() {
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "billing-cluster-instance-1");
    assertThat(plan.action()).isEqualTo(ParameterGroupPlan.Action.COPY);
    assertThat(plan.currentGroup()).isEqualTo("team-group");
    assertThat(plan.targetGroup()).isEqualTo("onramp-aurora-postgresql16-billing-cluster");
    assertThat(plan.reason()).contains("was not created by onramp");
  }

  @Test
  @Order(4)
  void theDefaultClusterGroupGivesANewTaggedGroupTwiceTheSame() {
    ParameterGroupPlan plan = rds.planParameterGroup(REGION, WRITER);
    assertThat(plan.action()).isEqualTo(ParameterGroupPlan.Action.CREATE);
    assertThat(plan.family()).isEqualTo("aurora-postgresql16");
    assertThat(plan.targetGroup()).isEqualTo(TARGET);
    LedgerEntry first = rds.convergeParameterGroup(new ParameterGroupRequest(REGION, plan));
    LedgerEntry again = rds.convergeParameterGroup(new ParameterGroupRequest(REGION, plan));
    assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(first.previous()).isEqualTo("default.aurora-postgresql16");
    assertThat(first.attribute("scope")).isEqualTo("cluster");
    assertThat(again).isEqualTo(first);
    String arn =
        aws.rds(REGION)
            .describeDBClusterParameterGroups(b -> b.dbClusterParameterGroupName(TARGET))
            .dbClusterParameterGroups()
            .get(0)
            .dbClusterParameterGroupArn();
    assertThat(aws.rds(REGION).listTagsForResource(b -> b.resourceName(arn)).tagList())
        .anySatisfy(
            t -> {
              assertThat(t.key()).isEqualTo("managed-by");
              assertThat(t.value()).isEqualTo("onramp");
            });
  }

  @Test
  @Order(5)
  void theClusterIsAssociatedAndTheWritersRebootAppliesIt() throws Exception {
    LedgerEntry association =
        rds.convergeAssociation(new AssociationRequest(REGION, WRITER, TARGET, false));
    assertThat(association.outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(association.previous()).isEqualTo("default.aurora-postgresql16");
    assertThat(association.attribute("dbClusterId")).isEqualTo(CLUSTER);
    assertThat(cluster().dbClusterParameterGroup()).isEqualTo(TARGET);
    InstanceState associated = poll(() -> rds.checkAssociated(REGION, WRITER, TARGET));
    assertThat(associated.parameterApplyStatus()).isEqualTo("pending-reboot");
    assertThat(rds.convergeAssociation(new AssociationRequest(REGION, WRITER, TARGET, false)))
        .extracting(LedgerEntry::outcome, LedgerEntry::previous)
        .containsExactly(Outcome.REUSED, "default.aurora-postgresql16");

    Instant requested = Instant.now();
    assertThat(rds.reboot(REGION, WRITER, requested)).isEqualTo(RebootOutcome.REBOOTED);
    InstanceState rebooted = poll(() -> rds.checkRebooted(REGION, WRITER, TARGET, requested));
    assertThat(rebooted.parameterApplyStatus()).isEqualTo("in-sync");
    assertThat(walLevel()).isEqualTo("logical");
    // A retried reboot activity does not reboot again.
    assertThat(rds.reboot(REGION, WRITER, requested)).isEqualTo(RebootOutcome.ALREADY_REBOOTED);
    assertThat(rds.parameterGroupDrift(new ParameterGroupCheck(REGION, WRITER))).isEmpty();
  }

  @Test
  @Order(6)
  void offboardingPutsTheClusterBackAndDeletesOnrampsGroup() throws Exception {
    LedgerEntry group =
        new LedgerEntry(
            dev.onramp.activities.ledger.ResourceKind.PARAMETER_GROUP,
            TARGET,
            Outcome.CREATED,
            "default.aurora-postgresql16",
            java.util.Map.of("family", "aurora-postgresql16", "scope", "cluster"));
    assertThat(rds.removeParameterGroup(new ParameterGroupRemoval(REGION, WRITER, group)).outcome())
        .as("still used by the cluster")
        .isEqualTo(RemovalOutcome.KEPT_CHANGED);
    rds.convergeAssociation(
        new AssociationRequest(REGION, WRITER, "default.aurora-postgresql16", false));
    poll(() -> rds.checkAssociated(REGION, WRITER, "default.aurora-postgresql16"));
    assertThat(rds.removeParameterGroup(new ParameterGroupRemoval(REGION, WRITER, group)).outcome())
        .isEqualTo(RemovalOutcome.REMOVED);
    assertThat(rds.parameterGroupDrift(new ParameterGroupCheck(REGION, WRITER)))
        .anySatisfy(f -> assertThat(f.problem()).contains("default parameter group"));
  }
}
