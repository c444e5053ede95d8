package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.sandbox.aws.rds.Timings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * Shared-server mode: three instances are three databases of one PostgreSQL server, yet each keeps
 * its own {@code rds.logical_replication}: the one that gets the parameter group and a reboot reads
 * {@code on} through the seed's query, the others still {@code off}; the reboot is in the reboot
 * log and ends that instance's connections, not the others'.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedPostgresModeTest {
  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    AwsEmulator.Builder b =
        AwsEmulator.builder().sharedPostgres(true).timings(Timings.all(Duration.ofMillis(300)));
    for (String id : new String[] {"fleet-a", "fleet-b", "fleet-c"}) {
      b.instance(
          DbInstanceSpec.builder(id)
              .dbName("shop_" + id.substring(6))
              .masterUsername("admin_" + id.substring(6))
              .seedSql("CREATE TABLE orders (id int PRIMARY KEY)")
              .build());
    }
    aws = b.start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  private DBInstance describe(String id) {
    return sdk.rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
  }

  private DBInstance await(String id, Predicate<DBInstance> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    DBInstance i = describe(id);
    while (!condition.test(i)) {
      assertThat(System.nanoTime())
          .as("instance %s never got there: %s", id, i)
          .isLessThan(deadline);
      Thread.sleep(50);
      i = describe(id);
    }
    return i;
  }

  private Connection connect(String id) throws Exception {
    DBInstance i = describe(id);
    JsonNode creds =
        new ObjectMapper()
            .readTree(
                sdk.secrets
                    .getSecretValue(r -> r.secretId(i.masterUserSecret().secretArn()))
                    .secretString());
    Properties p = new Properties();
    p.setProperty("user", creds.get("username").asText());
    p.setProperty("password", creds.get("password").asText());
    p.setProperty("sslmode", "require");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + i.endpoint().port() + "/" + i.dbName(), p);
  }

  private String logicalReplication(String id) throws Exception {
    try (Connection c = connect(id);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT setting FROM pg_settings WHERE name = 'rds.logical_replication'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void instancesShareOneServerButEachRebootsAlone() throws Exception {
    assertThat(aws.sharesOneServer()).isTrue();
    int port = describe("fleet-a").endpoint().port();
    assertThat(describe("fleet-b").endpoint().port()).isEqualTo(port);
    assertThat(describe("fleet-c").endpoint().port()).isEqualTo(port);
    assertThat(logicalReplication("fleet-a")).isEqualTo("off");
    assertThat(logicalReplication("fleet-b")).isEqualTo("off");

    sdk.rds.createDBParameterGroup(
        r ->
            r.dbParameterGroupName("onramp-lr")
                .dbParameterGroupFamily("postgres16")
                .description("logical replication"));
    sdk.rds.modifyDBParameterGroup(
        r ->
            r.dbParameterGroupName("onramp-lr")
                .parameters(
                    Parameter.builder()
                        .parameterName("rds.logical_replication")
                        .parameterValue("1")
                        .applyMethod(ApplyMethod.PENDING_REBOOT)
                        .build()));
    sdk.rds.modifyDBInstance(
        r ->
            r.dbInstanceIdentifier("fleet-a")
                .dbParameterGroupName("onramp-lr")
                .applyImmediately(true));
    await(
        "fleet-a",
        i ->
            i.dbInstanceStatus().equals("available")
                && "pending-reboot".equals(i.dbParameterGroups().get(0).parameterApplyStatus()));
    // Static: still off until the reboot.
    assertThat(logicalReplication("fleet-a")).isEqualTo("off");

    try (Connection b = connect("fleet-b");
        Connection a = connect("fleet-a")) {
      sdk.rds.rebootDBInstance(r -> r.dbInstanceIdentifier("fleet-a"));
      await(
          "fleet-a",
          i ->
              i.dbInstanceStatus().equals("available")
                  && "in-sync".equals(i.dbParameterGroups().get(0).parameterApplyStatus()));
      // The reboot ended fleet-a's connections, as a restart would, and left fleet-b's alone.
      assertThat(a.isValid(2)).isFalse();
      assertThat(b.isValid(2)).isTrue();
    }
    assertThat(logicalReplication("fleet-a")).isEqualTo("on");
    assertThat(logicalReplication("fleet-b")).isEqualTo("off");
    assertThat(logicalReplication("fleet-c")).isEqualTo("off");
    assertThat(aws.rebootLog().reboots())
        .singleElement()
        .satisfies(r -> assertThat(r.instanceId()).isEqualTo("fleet-a"));
    assertThat(aws.callLog().calls(c -> "RebootDBInstance".equals(c.action())))
        .singleElement()
        .satisfies(c -> assertThat(c.instanceId()).isEqualTo("fleet-a"));
  }
}
