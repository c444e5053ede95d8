package dev.onramp.activities.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One case per row of {@link MaterializeFailures#MATERIALIZE} and per transient text. */
class MaterializeFailuresTest {

  @ParameterizedTest(name = "{0} {1} -> retryable={2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "08006 | connection reset | true | NotReachable",
        "57P01 | terminating connection due to administrator command | true | NotReachable",
        "57P03 | the database system is starting up | true | NotReachable",
        "57014 | canceling statement due to statement timeout | true | Materialize",
        "40001 | serialization failure | true | Materialize",
        "53000 | out of resources | true | Materialize",
        "28P01 | invalid password | false | BadCredentials",
        "42501 | permission denied for SCHEMA \"materialize.public\" | false | PermissionDenied",
        "42710 | connection \"pg\" already exists | false | MaterializeConflict",
        "42P07 | catalog item 'orders' already exists | false | MaterializeConflict",
        "42601 | Expected end of statement | false | Materialize",
        "22023 | invalid SIZE | false | InvalidRequest",
        "XX000 | error connecting to server: Connection refused | true | NotReachable",
        "XX000 | db error: connection timed out | true | NotReachable",
        "XX000 | publication \"mz_source\" does not exist | false | Materialize",
      })
  void eachRowIsClassified(String state, String text, boolean retryable, String type) {
    ApplicationFailure f =
        MaterializeFailures.classify(new SQLException(text, state), "creating source shop");

    assertThat(f.isNonRetryable()).isEqualTo(!retryable);
    assertThat(f.getType()).isEqualTo(type);
    assertThat(f.getOriginalMessage()).startsWith("creating source shop: " + text);
  }

  @Test
  void everyRuleHasAFix() {
    assertThat(MaterializeFailures.MATERIALIZE)
        .allSatisfy(r -> assertThat(r.fix()).isNotBlank())
        .hasSize(11);
  }
}
