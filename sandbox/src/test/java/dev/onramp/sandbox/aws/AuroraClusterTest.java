package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.rds.Timings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbParameterGroupStateException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Aurora PostgreSQL through the real AWS SDK: a cluster with a writer (a real PostgreSQL server)
 * and a reader, DB cluster parameter groups, ModifyDBCluster, the members' apply status, and the
 * writer's reboot turning {@code wal_level} to {@code logical}. Ordered: each step builds on the
 * previous one. Also the MySQL engines, which are only described.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraClusterTest {
  private static final String CLUSTER = "orders-cluster";
  private static final String WRITER = "orders-writer";
  private static final String READER = "orders-reader";
  private static final String GROUP = "onramp-aurora-postgresql16-orders-cluster";

  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(400)))
            .cluster(
                DbClusterSpec.builder(CLUSTER)
                    .writer(WRITER)
                    .reader(READER)
                    .dbName("orders")
                    .seedSql("CREATE TABLE orders (id int PRIMARY KEY)")
                    .build())
            .cluster(DbClusterSpec.builder("shop-mysql").engine("aurora-mysql").build())
            .instance(DbInstanceSpec.builder("legacy-mysql").engine("mysql").build())
            .start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  private DBCluster cluster() {
    return sdk.rds.describeDBClusters(r -> r.dbClusterIdentifier(CLUSTER)).dbClusters().get(0);
  }

  private DBInstance instance(String id) {
    return sdk.rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
  }

  private static DBClusterMember member(DBCluster c, String id) {
    return c.dbClusterMembers().stream()
        .filter(m -> m.dbInstanceIdentifier().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private DBCluster awaitCluster(Predicate<DBCluster> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    DBCluster c = cluster();
    while (!condition.test(c)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("cluster never reached the expected state: " + c);
      }
      Thread.sleep(50);
      c = cluster();
    }
    return c;
  }

  private String onWriter(String sql) throws Exception {
    DBCluster c = cluster();
    JsonNode creds =
        new ObjectMapper()
            .readTree(
                sdk.secrets
                    .getSecretValue(r -> r.secretId(c.masterUserSecret().secretArn()))
                    .secretString());
    DBInstance w = instance(WRITER);
    Properties p = new Properties();
    p.setProperty("user", creds.get("username").asText());
    p.setProperty("password", creds.get("password").asText());
    p.setProperty("sslmode", "require");
    try (Connection conn =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + w.endpoint().port() + "/orders", p);
        ResultSet rs = conn.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @Order(1)
  void aClusterAndItsMembersLookLikeAurora() throws Exception {
    DBCluster c = cluster();
    assertThat(c.status()).isEqualTo("available");
    assertThat(c.engine()).isEqualTo("aurora-postgresql");
    assertThat(c.engineVersion()).startsWith("16.");
    assertThat(c.dbClusterParameterGroup()).isEqualTo("default.aurora-postgresql16");
    assertThat(c.dbClusterArn()).endsWith(":cluster:" + CLUSTER);
    assertThat(c.masterUserSecret().secretArn()).contains(":secret:rds!");
    assertThat(c.dbClusterMembers()).hasSize(2);
    assertThat(member(c, WRITER).isClusterWriter()).isTrue();
    assertThat(member(c, READER).isClusterWriter()).isFalse();
    assertThat(member(c, WRITER).dbClusterParameterGroupStatus()).isEqualTo("in-sync");

    DBInstance w = instance(WRITER);
    assertThat(w.dbClusterIdentifier()).isEqualTo(CLUSTER);
    assertThat(w.engine()).isEqualTo("aurora-postgresql");
    assertThat(w.dbParameterGroups().get(0).dbParameterGroupName())
        .isEqualTo("default.aurora-postgresql16");
    // The managed master secret is the cluster's; the members show none of their own.
    assertThat(w.masterUserSecret()).isNull();
    assertThat(instance(READER).dbClusterIdentifier()).isEqualTo(CLUSTER);
    assertThat(
            sdk.rds
                .describeDBInstances(
                    r -> r.filters(Filter.builder().name("db-cluster-id").values(CLUSTER).build()))
                .dbInstances())
        .extracting(DBInstance::dbInstanceIdentifier)
        .containsExactlyInAnyOrder(WRITER, READER);

    assertThat(onWriter("SHOW wal_level")).isEqualTo("replica");
    assertThat(onWriter("SELECT setting FROM pg_settings WHERE name = 'rds.logical_replication'"))
        .isEqualTo("off");
  }

  @Test
  @Order(2)
  void unknownNamesAndDefaultGroupsAreRefusedWithAurorasCodes() {
    assertThatThrownBy(() -> sdk.rds.describeDBClusters(r -> r.dbClusterIdentifier("nope")))
        .isInstanceOfSatisfying(
            DbClusterNotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DBClusterNotFoundFault");
            });
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier(CLUSTER)
                            .dbClusterParameterGroupName("missing")
                            .applyImmediately(true)))
        .isInstanceOf(DbClusterParameterGroupNotFoundException.class);
    assertThatThrownBy(
            () ->
                sdk.rds.describeDBClusterParameters(r -> r.dbClusterParameterGroupName("missing")))
        .isInstanceOf(DbParameterGroupNotFoundException.class);
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBClusterParameterGroup(
                    r ->
                        r.dbClusterParameterGroupName("default.aurora-postgresql16")
                            .parameters(logicalReplicationOn())))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.getMessage()).contains("Cannot modify a default parameter group");
            });
    assertThatThrownBy(
            () ->
                sdk.rds.deleteDBClusterParameterGroup(
                    r -> r.dbClusterParameterGroupName("default.aurora-postgresql16")))
        .isInstanceOf(InvalidDbParameterGroupStateException.class);
    // rds.logical_replication is a cluster parameter: an Aurora instance group does not have it.
    assertThat(
            sdk
                .rds
                .describeDBParametersPaginator(
                    r -> r.dbParameterGroupName("default.aurora-postgresql16"))
                .parameters()
                .stream()
                .map(Parameter::parameterName))
        .doesNotContain("rds.logical_replication");
  }

  private static Parameter logicalReplicationOn() {
    return Parameter.builder()
        .parameterName("rds.logical_replication")
        .parameterValue("1")
        .applyMethod(ApplyMethod.PENDING_REBOOT)
        .build();
  }

  @Test
  @Order(3)
  void aClusterGroupIsCreatedTaggedAndSet() {
    sdk.rds.createDBClusterParameterGroup(
        r ->
            r.dbClusterParameterGroupName(GROUP)
                .dbParameterGroupFamily("aurora-postgresql16")
                .description("logical replication")
                .tags(Tag.builder().key("managed-by").value("onramp").build()));
    String arn =
        sdk.rds
            .describeDBClusterParameterGroups(r -> r.dbClusterParameterGroupName(GROUP))
            .dbClusterParameterGroups()
            .get(0)
            .dbClusterParameterGroupArn();
    assertThat(arn).endsWith(":cluster-pg:" + GROUP);
    assertThat(sdk.rds.listTagsForResource(r -> r.resourceName(arn)).tagList())
        .extracting(Tag::key)
        .containsExactly("managed-by");
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBClusterParameterGroup(
                    r ->
                        r.dbClusterParameterGroupName(GROUP)
                            .parameters(
                                logicalReplicationOn().toBuilder()
                                    .applyMethod(ApplyMethod.IMMEDIATE)
                                    .build())))
        .isInstanceOfSatisfying(
            RdsException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidParameterCombination"));
    sdk.rds.modifyDBClusterParameterGroup(
        r -> r.dbClusterParameterGroupName(GROUP).parameters(logicalReplicationOn()));
    assertThat(
            sdk
                .rds
                .describeDBClusterParametersPaginator(r -> r.dbClusterParameterGroupName(GROUP))
                .parameters()
                .stream()
                .filter(p -> p.parameterName().equals("rds.logical_replication"))
                .findFirst()
                .orElseThrow()
                .parameterValue())
        .isEqualTo("1");
  }

  @Test
  @Order(4)
  void modifyDbClusterLeavesEveryMemberPendingReboot() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    DBCluster answer =
        sdk.rds
            .modifyDBCluster(
                r ->
                    r.dbClusterIdentifier(CLUSTER)
                        .dbClusterParameterGroupName(GROUP)
                        .applyImmediately(true))
            .dbCluster();
    assertThat(answer.dbClusterParameterGroup()).isEqualTo(GROUP);
    assertThat(answer.status()).isEqualTo("modifying");
    assertThat(member(answer, WRITER).dbClusterParameterGroupStatus()).isEqualTo("applying");
    // A second change while modifying is refused, as RDS does for a busy cluster.
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier(CLUSTER)
                            .dbClusterParameterGroupName("default.aurora-postgresql16")))
        .isInstanceOf(InvalidDbClusterStateException.class);
    DBCluster c =
        awaitCluster(
            x ->
                x.status().equals("available")
                    && member(x, WRITER).dbClusterParameterGroupStatus().equals("pending-reboot"));
    assertThat(member(c, READER).dbClusterParameterGroupStatus()).isEqualTo("pending-reboot");
    assertThat(onWriter("SHOW wal_level")).as("static: waits for a reboot").isEqualTo("replica");
    // A group in use cannot be deleted.
    assertThatThrownBy(
            () -> sdk.rds.deleteDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(GROUP)))
        .isInstanceOf(InvalidDbParameterGroupStateException.class);
    assertThat(
            sdk.rds
                .describeEvents(
                    r ->
                        r.sourceIdentifier(CLUSTER)
                            .sourceType(SourceType.DB_CLUSTER)
                            .startTime(before))
                .events())
        .anySatisfy(e -> assertThat(e.message()).contains(GROUP));
  }

  @Test
  @Order(5)
  void theWritersRebootAppliesTheClusterGroupToTheWriterOnly() throws Exception {
    sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(WRITER));
    DBCluster c =
        awaitCluster(x -> member(x, WRITER).dbClusterParameterGroupStatus().equals("in-sync"));
    assertThat(instance(WRITER).dbInstanceStatus()).isEqualTo("available");
    assertThat(onWriter("SHOW wal_level")).isEqualTo("logical");
    assertThat(onWriter("SELECT setting FROM pg_settings WHERE name = 'rds.logical_replication'"))
        .isEqualTo("on");
    // Aurora PostgreSQL 16 readers are not rebooted with the writer.
    assertThat(member(c, READER).dbClusterParameterGroupStatus()).isEqualTo("pending-reboot");
    assertThat(aws.rebootLog().reboots()).extracting(r -> r.instanceId()).containsExactly(WRITER);
  }

  @Test
  @Order(6)
  void describeLagAndStuckClustersAreInjectable() throws Exception {
    aws.inject(new Fault("stuck", null, null, null, null, CLUSTER, "backing-up"));
    assertThat(cluster().status()).isEqualTo("backing-up");
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier(CLUSTER)
                            .dbClusterParameterGroupName("default.aurora-postgresql16")))
        .isInstanceOf(InvalidDbClusterStateException.class);
    aws.faults().clear();
    aws.inject(new Fault("describe-lag", null, 2, null, null, CLUSTER, null));
    sdk.rds.modifyDBCluster(
        r ->
            r.dbClusterIdentifier(CLUSTER)
                .dbClusterParameterGroupName("default.aurora-postgresql16")
                .applyImmediately(true));
    assertThat(cluster().dbClusterParameterGroup()).as("lagging").isEqualTo(GROUP);
    assertThat(cluster().dbClusterParameterGroup()).as("lagging").isEqualTo(GROUP);
    assertThat(cluster().dbClusterParameterGroup()).isEqualTo("default.aurora-postgresql16");
    aws.faults().clear();
    awaitCluster(x -> x.status().equals("available"));
    sdk.rds.deleteDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(GROUP));
  }

  @Test
  @Order(7)
  void mysqlEnginesAreDescribable() {
    DBInstance mysql = instance("legacy-mysql");
    assertThat(mysql.engine()).isEqualTo("mysql");
    assertThat(mysql.dbParameterGroups().get(0).dbParameterGroupName())
        .isEqualTo("default.mysql8.0");
    DBCluster aurora =
        sdk.rds.describeDBClusters(r -> r.dbClusterIdentifier("shop-mysql")).dbClusters().get(0);
    assertThat(aurora.engine()).isEqualTo("aurora-mysql");
    assertThat(aurora.dbClusterParameterGroup()).isEqualTo("default.aurora-mysql8.0");
    DBInstance writer = instance(aurora.dbClusterMembers().get(0).dbInstanceIdentifier());
    assertThat(writer.engine()).isEqualTo("aurora-mysql");
    assertThat(writer.dbClusterIdentifier()).isEqualTo("shop-mysql");
    assertThat(List.of(aws.instances().stream().map(InstanceInfo::id).toArray()))
        .contains("legacy-mysql", "shop-mysql-instance-1");
  }
}
