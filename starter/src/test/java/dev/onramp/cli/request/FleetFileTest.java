package dev.onramp.cli.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.workflows.FleetRequest;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FleetFileTest {
  @Test
  void theExampleReadsAndDefaultsMergeFieldByField() throws Exception {
    FleetRequest fleet = FleetFile.read(Path.of("../examples/fleet.yaml"));
    assertThat(fleet.name()).isEqualTo("q3-rollout");
    assertThat(fleet.limits().reboots()).isEqualTo(3);
    assertThat(fleet.limits().rebootsIn("eu-west-1")).isEqualTo(1);
    assertThat(fleet.databases()).hasSize(3);
    OnboardingRequest eu = fleet.databases().get(2);
    assertThat(eu.region()).isEqualTo("eu-west-1");
    assertThat(eu.rebootPolicy()).isEqualTo(RebootPolicy.IMMEDIATE);
    assertThat(fleet.databases().get(1).tables().names()).containsExactly("invoices");

    FleetRequest merged =
        FleetFile.parse(
            "f.yaml",
            """
            name: m
            defaults:
              region: us-east-1
              waits: {awsPollInterval: 5s, awsMaxWait: 1h}
            databases:
              - {dbInstanceId: a, database: shop, waits: {awsMaxWait: 2h}}
            """);
    OnboardingRequest a = merged.databases().get(0);
    assertThat(a.waits().awsPollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.waits().awsMaxWait()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void badFleetsNameTheItem() {
    String head = "name: bad\ndefaults: {region: us-east-1}\n";
    assertThatThrownBy(
            () ->
                FleetFile.parse(
                    "f.yaml",
                    head
                        + "databases:\n  - {dbInstanceId: a, database: s}\n"
                        + "  - {dbInstanceId: a, database: s}\n"))
        .hasMessageContaining("databases[1]: us-east-1/a/s is already databases[0]");
    assertThatThrownBy(
            () ->
                FleetFile.parse(
                    "f.yaml",
                    head + "databases:\n  - {dbInstanceId: a, database: s, tabels: [x]}\n"))
        .hasMessageContaining("databases[0]")
        .hasMessageContaining("unknown field 'tabels'");
    assertThatThrownBy(
            () ->
                FleetFile.parse(
                    "f.yaml",
                    head
                        + "limits: {onboardings: 0}\ndatabases:\n  - {dbInstanceId: a, database: s}\n"))
        .hasMessageContaining("limits.onboardings: 0 would start nothing");
    assertThatThrownBy(() -> FleetFile.parse("f.yaml", head + "datbases: []\n"))
        .hasMessageContaining("unknown field 'datbases'");
    assertThatThrownBy(
            () -> FleetFile.parse("f.yaml", head + "databases:\n  - {dbInstanceId: a}\n"))
        .hasMessageContaining("databases[0].database");
  }
}
