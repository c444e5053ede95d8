package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.sandbox.aws.rds.Timings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersResponse;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * The cycle onramp drives on RDS, against one emulated instance through the real AWS SDK: create a
 * parameter group with {@code rds.logical_replication=1}, associate it, reboot, and see PostgreSQL
 * really move from {@code wal_level=replica} to {@code logical}. Ordered: each step builds on the
 * previous one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RdsRebootCycleTest {
  private static final String DB = "orders-db";
  private static final String GROUP = "onramp-logical-replication";

  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(400)))
            .instance(
                DbInstanceSpec.builder(DB)
                    .dbName("orders")
                    .masterUsername("postgres")
                    .seedSql(
                        "CREATE TABLE orders (id int PRIMARY KEY, item text)",
                        "INSERT INTO orders VALUES (1, 'apple'), (2, 'pear')")
                    .build())
            .start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
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

  private Connection connectAsMaster() throws Exception {
    DBInstance i = describe();
    String secret =
        sdk.secrets
            .getSecretValue(r -> r.secretId(i.masterUserSecret().secretArn()))
            .secretString();
    JsonNode creds = new ObjectMapper().readTree(secret);
    Properties p = new Properties();
    p.setProperty("user", creds.get("username").asText());
    p.setProperty("password", creds.get("password").asText());
    p.setProperty("sslmode", "require");
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + i.endpoint().address()
            + ":"
            + i.endpoint().port()
            + "/"
            + i.dbName(),
        p);
  }

  private String query(String sql) throws Exception {
    try (Connection c = connectAsMaster();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The seed's query, verbatim. */
  private String seedLogicalReplicationSetting() throws Exception {
    try (Connection c = connectAsMaster();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT name, setting\n  FROM pg_settings\n  WHERE name ="
                        + " 'rds.logical_replication';")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("name")).isEqualTo("rds.logical_replication");
      String setting = rs.getString("setting");
      assertThat(rs.next()).isFalse();
      return setting;
    }
  }

  @Test
  @Order(1)
  void aNewInstanceLooksLikeRds() throws Exception {
    DBInstance i = describe();
    assertThat(i.dbInstanceStatus()).isEqualTo("available");
    assertThat(i.engine()).isEqualTo("postgres");
    assertThat(i.engineVersion()).startsWith("16.");
    assertThat(i.dbName()).isEqualTo("orders");
    assertThat(i.masterUsername()).isEqualTo("postgres");
    assertThat(i.endpoint().address()).isEqualTo("127.0.0.1");
    assertThat(i.endpoint().port()).isEqualTo(aws.instance(DB).port());
    assertThat(i.dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo("default.postgres16");
    assertThat(i.dbParameterGroups().get(0).parameterApplyStatus()).isEqualTo("in-sync");
    assertThat(i.vpcSecurityGroups()).hasSize(1);
    assertThat(i.vpcSecurityGroups().get(0).status()).isEqualTo("active");
    assertThat(i.preferredMaintenanceWindow()).isEqualTo("sun:05:00-sun:06:00");
    assertThat(i.publiclyAccessible()).isFalse();
    assertThat(i.masterUserSecret().secretArn()).contains(":secret:rds!db-");
    assertThat(i.dbSubnetGroup().vpcId()).startsWith("vpc-");

    try (Connection c = connectAsMaster();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT rolsuper, rolcreaterole, rolcreatedb,"
                        + " pg_has_role(current_user, 'rds_superuser', 'MEMBER'),"
                        + " (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()),"
                        + " (SELECT count(*) FROM orders)"
                        + " FROM pg_roles WHERE rolname = current_user")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("superuser").isFalse();
      assertThat(rs.getBoolean(2)).as("createrole").isTrue();
      assertThat(rs.getBoolean(3)).as("createdb").isTrue();
      assertThat(rs.getBoolean(4)).as("rds_superuser").isTrue();
      assertThat(rs.getBoolean(5)).as("ssl").isTrue();
      assertThat(rs.getInt(6)).isEqualTo(2);
    }
    assertThat(query("SHOW wal_level")).isEqualTo("replica");
    assertThat(seedLogicalReplicationSetting()).isEqualTo("off");
  }

  @Test
  @Order(2)
  void logicalSlotsAreRefusedBeforeTheReboot() {
    assertThatThrownBy(
            () -> query("SELECT pg_create_logical_replication_slot('too_early', 'pgoutput')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("wal_level");
  }

  @Test
  @Order(3)
  void defaultGroupsRefuseModification() {
    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBParameterGroup(
                    r ->
                        r.dbParameterGroupName("default.postgres16")
                            .parameters(
                                Parameter.builder()
                                    .parameterName("rds.logical_replication")
                                    .parameterValue("1")
                                    .applyMethod(ApplyMethod.PENDING_REBOOT)
                                    .build())))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Cannot modify a default parameter group.");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.requestId()).isNotBlank();
            });
  }

  @Test
  @Order(4)
  void createsAndModifiesACustomGroup() {
    var created =
        sdk.rds.createDBParameterGroup(
            r ->
                r.dbParameterGroupName(GROUP)
                    .dbParameterGroupFamily("postgres16")
                    .description("onramp: logical replication"));
    assertThat(created.dbParameterGroup().dbParameterGroupArn()).endsWith(":pg:" + GROUP);

    assertThatThrownBy(
            () ->
                sdk.rds.modifyDBParameterGroup(
                    r ->
                        r.dbParameterGroupName(GROUP)
                            .parameters(
                                Parameter.builder()
                                    .parameterName("rds.logical_replication")
                                    .parameterValue("1")
                                    .applyMethod(ApplyMethod.IMMEDIATE)
                                    .build())))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("cannot use immediate apply method for static parameter");
            });

    var modified =
        sdk.rds.modifyDBParameterGroup(
            r ->
                r.dbParameterGroupName(GROUP)
                    .parameters(
                        Parameter.builder()
                            .parameterName("rds.logical_replication")
                            .parameterValue("1")
                            .applyMethod(ApplyMethod.PENDING_REBOOT)
                            .build()));
    assertThat(modified.dbParameterGroupName()).isEqualTo(GROUP);

    List<Parameter> user =
        sdk.rds
            .describeDBParameters(r -> r.dbParameterGroupName(GROUP).source("user"))
            .parameters();
    assertThat(user)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.parameterName()).isEqualTo("rds.logical_replication");
              assertThat(p.parameterValue()).isEqualTo("1");
              assertThat(p.applyType()).isEqualTo("static");
              assertThat(p.source()).isEqualTo("user");
            });
  }

  @Test
  @Order(5)
  void describeDbParametersPages() {
    DescribeDbParametersResponse first =
        sdk.rds.describeDBParameters(r -> r.dbParameterGroupName(GROUP).maxRecords(20));
    assertThat(first.parameters()).isNotEmpty();
    int total = first.parameters().size();
    String marker = first.marker();
    while (marker != null) {
      String m = marker;
      DescribeDbParametersResponse next =
          sdk.rds.describeDBParameters(r -> r.dbParameterGroupName(GROUP).maxRecords(20).marker(m));
      total += next.parameters().size();
      marker = next.marker();
    }
    int viaPaginator =
        (int)
            sdk
                .rds
                .describeDBParametersPaginator(r -> r.dbParameterGroupName(GROUP).maxRecords(20))
                .parameters()
                .stream()
                .count();
    assertThat(total).isEqualTo(viaPaginator).isGreaterThan(0);
    assertThat(
            sdk.rds
                .describeDBEngineVersions(r -> r.engine("postgres").engineVersion("16"))
                .dbEngineVersions())
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.dbParameterGroupFamily()).isEqualTo("postgres16"));
  }

  @Test
  @Order(6)
  void associatingTheGroupModifiesThenWaitsForAReboot() throws Exception {
    DBInstance modifying =
        sdk.rds
            .modifyDBInstance(
                r -> r.dbInstanceIdentifier(DB).dbParameterGroupName(GROUP).applyImmediately(true))
            .dbInstance();
    assertThat(modifying.dbInstanceStatus()).isEqualTo("modifying");
    assertThat(modifying.dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo(GROUP);
    assertThat(modifying.dbParameterGroups().get(0).parameterApplyStatus()).isEqualTo("applying");

    // RDS refuses a reboot while a modification is in progress.
    assertThatThrownBy(() -> sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB)))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidDBInstanceState");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "Instance cannot currently reboot due to an in-progress management operation.");
            });

    DBInstance available = awaitInstance(i -> i.dbInstanceStatus().equals("available"));
    assertThat(available.dbParameterGroups().get(0).parameterApplyStatus())
        .isEqualTo("pending-reboot");
    // Not applied yet: static parameters wait for a reboot.
    assertThat(query("SHOW wal_level")).isEqualTo("replica");
    assertThat(seedLogicalReplicationSetting()).isEqualTo("off");
  }

  @Test
  @Order(7)
  void theRebootAppliesLogicalReplication() throws Exception {
    String pidBefore = query("SELECT pg_postmaster_start_time()::text");
    DBInstance rebooting = sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB)).dbInstance();
    assertThat(rebooting.dbInstanceStatus()).isEqualTo("rebooting");

    DBInstance after =
        awaitInstance(
            i ->
                i.dbInstanceStatus().equals("available")
                    && i.dbParameterGroups().get(0).parameterApplyStatus().equals("in-sync"));
    assertThat(after.endpoint().port()).isEqualTo(rebooting.endpoint().port());
    assertThat(query("SELECT pg_postmaster_start_time()::text")).isNotEqualTo(pidBefore);
    assertThat(query("SHOW wal_level")).isEqualTo("logical");
    assertThat(Integer.parseInt(query("SHOW max_replication_slots"))).isGreaterThanOrEqualTo(10);
    assertThat(Integer.parseInt(query("SHOW max_wal_senders"))).isGreaterThanOrEqualTo(10);
    assertThat(seedLogicalReplicationSetting()).isEqualTo("on");
    assertThat(query("SELECT count(*) FROM orders")).isEqualTo("2");

    // The master user (rds_superuser, hence rds_replication) can now create a logical slot.
    awaitReplicationAttribute("postgres");
    assertThat(
            query(
                "SELECT slot_name FROM pg_create_logical_replication_slot('mz_slot', 'pgoutput')"))
        .isEqualTo("mz_slot");
    query("SELECT pg_drop_replication_slot('mz_slot')::text");

    assertThat(
            sdk.rds
                .describeEvents(r -> r.sourceIdentifier(DB).sourceType(SourceType.DB_INSTANCE))
                .events())
        .extracting(e -> e.message())
        .contains(
            "Updated to use DBParameterGroup " + GROUP,
            "DB instance shutdown",
            "DB instance restarted");
  }

  private void awaitReplicationAttribute(String role) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // The attribute the emulator keeps in step: only pg_catalog's own view shows it.
    while (!query(
            "SELECT rolreplication::text FROM pg_catalog.pg_roles WHERE rolname = '" + role + "'")
        .equals("true")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(role + " never got REPLICATION");
      }
      Thread.sleep(50);
    }
  }

  @Test
  @Order(8)
  void rdsReplicationIsWhatGrantsReplication() throws Exception {
    try (Connection c = connectAsMaster();
        Statement st = c.createStatement()) {
      for (String user : List.of("materialize", "no_replication")) {
        st.execute("CREATE ROLE " + user + " LOGIN PASSWORD 'pw-" + user + "'");
        st.execute("GRANT CONNECT ON DATABASE orders TO " + user);
        st.execute("GRANT USAGE ON SCHEMA public TO " + user);
        st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + user);
      }
      st.execute("GRANT rds_replication TO materialize");
      st.execute("ALTER TABLE orders REPLICA IDENTITY FULL");
      st.execute("CREATE PUBLICATION mz_source FOR TABLE orders");
    }
    awaitReplicationAttribute("materialize");
    // As on RDS, pg_roles shows no REPLICATION attribute for a member of rds_replication.
    assertThat(query("SELECT rolreplication::text FROM pg_roles WHERE rolname = 'materialize'"))
        .isEqualTo("false");

    try (Connection repl = replicationConnection("materialize")) {
      var slot =
          repl.unwrap(PGConnection.class)
              .getReplicationAPI()
              .createReplicationSlot()
              .logical()
              .withSlotName("materialize_slot")
              .withOutputPlugin("pgoutput")
              .make();
      assertThat(slot.getSlotName()).isEqualTo("materialize_slot");
    }
    assertThatThrownBy(() -> replicationConnection("no_replication").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("WAL sender");
    query("SELECT pg_drop_replication_slot('materialize_slot')::text");
  }

  private Connection replicationConnection(String user) throws SQLException {
    DBInstance i = describe();
    Properties p = new Properties();
    PGProperty.USER.set(p, user);
    PGProperty.PASSWORD.set(p, "pw-" + user);
    PGProperty.SSL_MODE.set(p, "require");
    PGProperty.REPLICATION.set(p, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "9.4");
    PGProperty.PREFER_QUERY_MODE.set(p, "simple");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + i.endpoint().port() + "/orders", p);
  }

  @Test
  @Order(9)
  void unknownInstancesAre404() {
    assertThatThrownBy(() -> sdk.rds.describeDBInstances(r -> r.dbInstanceIdentifier("no-such-db")))
        .isInstanceOfSatisfying(
            DbInstanceNotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DBInstanceNotFound");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("DBInstance no-such-db not found.");
            });
    assertThatThrownBy(() -> sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier("no-such-db")))
        .isInstanceOf(DbInstanceNotFoundException.class);
    // Filters return an empty list instead.
    assertThat(
            sdk.rds
                .describeDBInstances(
                    r -> r.filters(f -> f.name("db-instance-id").values("no-such-db")))
                .dbInstances())
        .isEmpty();
  }

  @Test
  @Order(10)
  void throttlingIsRetriedByTheSdk() {
    aws.inject(dev.onramp.sandbox.aws.faults.Fault.throttle("DescribeDBInstances", 2));
    assertThat(describe().dbInstanceIdentifier()).isEqualTo(DB);
    assertThat(aws.faults().list()).isEmpty();

    // More throttles than the SDK's attempts: the caller sees RDS's Throttling error.
    aws.inject(dev.onramp.sandbox.aws.faults.Fault.throttle("DescribeDBInstances", 10));
    assertThatThrownBy(this::describe)
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    aws.faults().clear();
  }

  @Test
  @Order(11)
  void dynamicParametersApplyImmediatelyWithoutAReboot() throws Exception {
    sdk.rds.modifyDBParameterGroup(
        r ->
            r.dbParameterGroupName(GROUP)
                .parameters(
                    Parameter.builder()
                        .parameterName("statement_timeout")
                        .parameterValue("12345")
                        .applyMethod(ApplyMethod.IMMEDIATE)
                        .build()));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!query("SHOW statement_timeout").equals("12345ms")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("statement_timeout never applied");
      }
      Thread.sleep(50);
    }
    DBInstance i =
        awaitInstance(r -> r.dbParameterGroups().get(0).parameterApplyStatus().equals("in-sync"));
    assertThat(i.dbInstanceStatus()).isEqualTo("available");
  }

  @Test
  @Order(12)
  void aRebootCanBeMadeToNotApplyTheGroup() throws Exception {
    sdk.rds.modifyDBParameterGroup(
        r ->
            r.dbParameterGroupName(GROUP)
                .parameters(
                    Parameter.builder()
                        .parameterName("max_wal_senders")
                        .parameterValue("25")
                        .applyMethod(ApplyMethod.PENDING_REBOOT)
                        .build()));
    assertThat(describe().dbParameterGroups().get(0).parameterApplyStatus())
        .isEqualTo("pending-reboot");

    aws.inject(dev.onramp.sandbox.aws.faults.Fault.rebootWithoutApply(DB, 1));
    sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB));
    DBInstance afterFirst = awaitInstance(i -> i.dbInstanceStatus().equals("available"));
    assertThat(afterFirst.dbParameterGroups().get(0).parameterApplyStatus())
        .isEqualTo("pending-reboot");
    assertThat(query("SHOW max_wal_senders")).isEqualTo("20");

    sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB));
    awaitInstance(
        i ->
            i.dbInstanceStatus().equals("available")
                && i.dbParameterGroups().get(0).parameterApplyStatus().equals("in-sync"));
    assertThat(query("SHOW max_wal_senders")).isEqualTo("25");
  }

  @Test
  @Order(13)
  void anInstanceCanBeStuck() throws Exception {
    aws.inject(dev.onramp.sandbox.aws.faults.Fault.stuck(DB, "storage-optimization"));
    assertThat(describe().dbInstanceStatus()).isEqualTo("storage-optimization");
    assertThatThrownBy(() -> sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier(DB)))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidDBInstanceState"));
    aws.faults().clear();
    assertThat(describe().dbInstanceStatus()).isEqualTo("available");
  }

  @Test
  @Order(14)
  void groupsInUseCannotBeDeletedButCopiesCan() {
    assertThatThrownBy(() -> sdk.rds.deleteDBParameterGroup(r -> r.dbParameterGroupName(GROUP)))
        .isInstanceOfSatisfying(
            RdsException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidDBParameterGroupState"));
    var copy =
        sdk.rds.copyDBParameterGroup(
            r ->
                r.sourceDBParameterGroupIdentifier(GROUP)
                    .targetDBParameterGroupIdentifier("onramp-copy")
                    .targetDBParameterGroupDescription("copy"));
    assertThat(copy.dbParameterGroup().dbParameterGroupFamily()).isEqualTo("postgres16");
    assertThat(
            sdk.rds
                .describeDBParameters(r -> r.dbParameterGroupName("onramp-copy").source("user"))
                .parameters())
        .extracting(Parameter::parameterName)
        .contains("rds.logical_replication");
    assertThatThrownBy(
            () ->
                sdk.rds.createDBParameterGroup(
                    r ->
                        r.dbParameterGroupName("onramp-copy")
                            .dbParameterGroupFamily("postgres16")
                            .description("again")))
        .isInstanceOf(
            software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException.class);
    sdk.rds.deleteDBParameterGroup(r -> r.dbParameterGroupName("onramp-copy"));
    assertThatThrownBy(
            () -> sdk.rds.describeDBParameterGroups(r -> r.dbParameterGroupName("onramp-copy")))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException.class,
            e -> assertThat(e.statusCode()).isEqualTo(404));
  }
}
