package dev.onramp.cli.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.workflows.NetworkMode;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.RequestValidator;
import org.junit.jupiter.api.Test;

/** A request file reads enum values as the flags do (and as the REST API and worker do). */
class RequestFileEnumTest {

  @Test
  void enumValuesReadAsTheFlagsReadThem() throws Exception {
    var r =
        RequestFile.parse(
            "r.yaml",
            "region: us-east-1\ndbInstanceId: db-1\ndatabase: shop\n"
                + "rebootPolicy: maintenance-window\nnetworkMode: ssh_tunnel\n");
    assertThat(r.rebootPolicy())
        .isEqualTo(RebootPolicy.MAINTENANCE_WINDOW)
        .isEqualTo(RequestValidator.rebootPolicy("maintenance-window"));
    assertThat(r.networkMode()).isEqualTo(NetworkMode.SSH_TUNNEL);
  }

  @Test
  void anUnknownValueNamesLineFieldAndChoices() {
    assertThatThrownBy(
            () ->
                RequestFile.parse(
                    "r.yaml", "region: us-east-1\ndbInstanceId: db-1\nrebootPolicy: soon\n"))
        .hasMessageContaining("r.yaml line 3, field rebootPolicy")
        .hasMessageContaining("'soon' is not one of IMMEDIATE, APPROVAL, MAINTENANCE_WINDOW");
  }
}
