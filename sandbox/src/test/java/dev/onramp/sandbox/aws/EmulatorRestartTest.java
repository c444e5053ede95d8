package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.sandbox.aws.rds.Timings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Parameter;

/** Stop the emulator, start a new one on the same state directory: everything is still there. */
class EmulatorRestartTest {
  @TempDir Path stateDir;

  private static AwsEmulator start(Path stateDir) {
    return AwsEmulator.builder()
        .stateDir(stateDir)
        .timings(Timings.all(Duration.ofMillis(100)))
        .instance(DbInstanceSpec.builder("kept-db").dbName("kept").allocatedStorage(30).build())
        .start();
  }

  private static String query(InstanceInfo i, String sql) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", i.masterUsername());
    p.setProperty("password", i.masterPassword());
    p.setProperty("sslmode", "require");
    try (Connection c = DriverManager.getConnection(i.jdbcUrl(), p);
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(InstanceInfo i, String sql) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", i.masterUsername());
    p.setProperty("password", i.masterPassword());
    p.setProperty("sslmode", "require");
    try (Connection c = DriverManager.getConnection(i.jdbcUrl(), p)) {
      c.createStatement().execute(sql);
    }
  }

  @Test
  void stateSurvivesARestart() throws Exception {
    InstanceInfo before;
    String secretArn;
    String sgId;
    try (AwsEmulator aws = start(stateDir);
        SdkClients sdk = new SdkClients(aws)) {
      before = aws.instance("kept-db");
      sdk.rds.createDBParameterGroup(
          r ->
              r.dbParameterGroupName("kept-group")
                  .dbParameterGroupFamily("postgres16")
                  .description("d"));
      sdk.rds.modifyDBParameterGroup(
          r ->
              r.dbParameterGroupName("kept-group")
                  .parameters(
                      Parameter.builder()
                          .parameterName("rds.logical_replication")
                          .parameterValue("1")
                          .applyMethod(ApplyMethod.PENDING_REBOOT)
                          .build()));
      sdk.rds.modifyDBInstance(
          r -> r.dbInstanceIdentifier("kept-db").dbParameterGroupName("kept-group"));
      DBInstance i =
          sdk.rds.describeDBInstances(r -> r.dbInstanceIdentifier("kept-db")).dbInstances().get(0);
      secretArn = i.masterUserSecret().secretArn();
      // AllocatedStorage as configured, then as the control API sets it (kept across a restart).
      assertThat(i.allocatedStorage()).isEqualTo(30);
      aws.setAllocatedStorage("kept-db", 50);
      sgId = i.vpcSecurityGroups().get(0).vpcSecurityGroupId();
      execute(before, "CREATE TABLE survivor AS SELECT 7 AS x");
    }

    try (AwsEmulator aws = start(stateDir);
        SdkClients sdk = new SdkClients(aws)) {
      DBInstance i =
          sdk.rds.describeDBInstances(r -> r.dbInstanceIdentifier("kept-db")).dbInstances().get(0);
      assertThat(i.dbInstanceStatus()).isEqualTo("available");
      assertThat(i.endpoint().port()).isEqualTo(before.port());
      assertThat(i.allocatedStorage()).isEqualTo(50);
      assertThat(i.masterUserSecret().secretArn()).isEqualTo(secretArn);
      assertThat(i.vpcSecurityGroups().get(0).vpcSecurityGroupId()).isEqualTo(sgId);
      assertThat(i.dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo("kept-group");
      // The modification was cut short by the stop; the group still waits for a reboot.
      assertThat(i.dbParameterGroups().get(0).parameterApplyStatus()).isEqualTo("pending-reboot");
      assertThat(
              sdk.rds
                  .describeDBParameters(r -> r.dbParameterGroupName("kept-group").source("user"))
                  .parameters())
          .extracting(Parameter::parameterName)
          .containsExactly("rds.logical_replication");
      assertThat(sdk.ec2.describeSecurityGroups(r -> r.groupIds(sgId)).securityGroups()).hasSize(1);

      InstanceInfo after = aws.instance("kept-db");
      assertThat(after.masterPassword()).isEqualTo(before.masterPassword());
      assertThat(query(after, "SELECT x FROM survivor")).isEqualTo("7");
      assertThat(query(after, "SHOW wal_level")).isEqualTo("replica");
    }
  }
}
