package dev.onramp.activities.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.workflows.OnboardingFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One case per row of {@link SqlFailures#POSTGRES} (and docs/errors.md), plus real pgjdbc errors.
 */
class SqlFailuresTest {

  @ParameterizedTest(name = "{0} -> retryable={1} {2}")
  @CsvSource({
    "08006, true, NotReachable",
    "08001, true, NotReachable",
    "57P01, true, NotReachable",
    "57P02, true, NotReachable",
    "57P03, true, NotReachable",
    "57014, true, Upstream",
    "55P03, true, Upstream",
    "40001, true, Upstream",
    "40P01, true, Upstream",
    "53300, true, Upstream",
    "53100, true, Upstream",
    "58030, true, Upstream",
    "28P01, false, BadCredentials",
    "28000, false, BadCredentials",
    "3D000, false, InvalidRequest",
    "42501, false, PermissionDenied",
    "42P01, false, TableNotFound",
    "42601, false, Upstream",
    "42704, false, Upstream",
    "22023, false, InvalidRequest",
    "0A000, false, Upstream",
    "XX000, false, Upstream",
  })
  void eachSqlStateClassIsClassified(String state, boolean retryable, String type) {
    ApplicationFailure f =
        SqlFailures.classify(new SQLException("boom", state), "creating the publication");

    assertThat(f.isNonRetryable()).isEqualTo(!retryable);
    assertThat(f.getType()).isEqualTo(type);
    assertThat(f.getOriginalMessage())
        .startsWith("creating the publication: boom [SQLSTATE " + state + "]");
  }

  @Test
  void everyRuleHasACaseAboveAndAFix() {
    assertThat(SqlFailures.POSTGRES).allSatisfy(r -> assertThat(r.fix()).isNotBlank());
    assertThat(SqlFailures.POSTGRES).hasSize(16);
  }

  @Test
  void aNonRetryableMessageSaysWhatToDo() {
    ApplicationFailure f =
        SqlFailures.classify(new SQLException("permission denied", "42501"), "granting SELECT");

    assertThat(f.getOriginalMessage()).contains("master user").contains("rds_superuser");
  }

  @Test
  void anIoErrorWithoutSqlStateIsRetriedAndAnUnknownOneIsNot() {
    SQLException io = new SQLException("An I/O error occurred", null, new IOException("reset"));
    assertThat(SqlFailures.classify(io, "x").isNonRetryable()).isFalse();
    assertThat(SqlFailures.classify(io, "x").getType()).isEqualTo(OnboardingFailures.NOT_REACHABLE);

    SQLException odd = new SQLException("odd");
    assertThat(SqlFailures.classify(odd, "x").isNonRetryable()).isTrue();
  }

  @Test
  void aRealConnectionRefusedFromPgjdbcIsRetried() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Properties p = new Properties();
    p.setProperty("connectTimeout", "2");
    SQLException refused = null;
    try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/x", p)) {
      // not reached
    } catch (SQLException e) {
      refused = e;
    }

    ApplicationFailure f = SqlFailures.classify(refused, "connecting to the instance");
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getType()).isEqualTo(OnboardingFailures.NOT_REACHABLE);
  }
}
