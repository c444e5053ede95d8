package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorConfigTest {
  @TempDir Path dir;

  @Test
  void readsYamlAndJson() throws Exception {
    Path yaml = dir.resolve("sandbox.yaml");
    Files.writeString(
        yaml,
        """
        region: eu-west-1
        stateDir: %s
        timings: { modifyingMillis: 100, rebootingMillis: 200 }
        instances:
          - id: orders-db
            engineVersion: "16.15"
            dbName: orders
            securityGroups: [orders-sg]
            publiclyAccessible: true
            seedSql: ["CREATE TABLE t (id int PRIMARY KEY)"]
        faults:
          - { type: throttle, operation: DescribeDBInstances, count: 2 }
        """
            .formatted(dir.resolve("state")));
    EmulatorConfig c = EmulatorConfig.read(yaml);
    assertThat(c.region()).isEqualTo("eu-west-1");
    assertThat(c.timings().rebootingMillis()).isEqualTo(200L);
    DbInstanceSpec spec = c.instances().get(0).withDefaults();
    assertThat(spec.id()).isEqualTo("orders-db");
    assertThat(spec.parameterGroup()).isEqualTo("default.postgres16");
    assertThat(spec.securityGroups()).containsExactly("orders-sg");
    assertThat(spec.publiclyAccessible()).isTrue();
    assertThat(spec.preferredMaintenanceWindow()).isEqualTo("sun:05:00-sun:06:00");
    assertThat(c.faults()).singleElement().satisfies(f -> assertThat(f.count()).isEqualTo(2));

    Path json = dir.resolve("sandbox.json");
    Files.writeString(
        json, "{\"region\":\"us-east-1\",\"faults\":[{\"type\":\"latency\",\"latencyMillis\":5}]}");
    EmulatorConfig j = EmulatorConfig.read(json);
    try (AwsEmulator aws = AwsEmulator.builder().config(j).start()) {
      assertThat(aws.faults().list()).hasSize(1);
      assertThat(AwsEmulatorMain.banner(aws))
          .contains(aws.endpoint().toString(), "rds describe-db-instances");
    }
  }
}
