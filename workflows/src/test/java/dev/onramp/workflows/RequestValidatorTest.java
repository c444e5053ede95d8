package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

  private static OnboardingRequest req(String instance, String db, String... tables) {
    return OnboardingRequest.of("us-east-1", instance, db, TableSelection.tables(tables));
  }

  @Test
  void aGoodRequestPasses() {
    assertThat(RequestValidator.problems(req("db-1", "shop", "orders", "sales.\"Line Items\"")))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1db", "db--1", "db-", "db_1", "db 1"})
  void malformedInstanceIdNamesTheField(String id) {
    assertThat(RequestValidator.problems(req(id, "shop", "orders")))
        .first()
        .asString()
        .startsWith("dbInstanceId: ");
  }

  @Test
  void instanceIdOf64CharactersIsRefused() {
    assertThat(RequestValidator.problems(req("d" + "b".repeat(63), "shop", "orders")))
        .singleElement()
        .asString()
        .startsWith("dbInstanceId: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "shop;drop", "a\"b", "shop floor", "\"Shop\"x"})
  void malformedDatabaseNamesTheField(String db) {
    assertThat(RequestValidator.problems(req("db-1", db, "orders")))
        .anySatisfy(p -> assertThat(p).startsWith("database: "));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "orders; drop table users|not a plain identifier",
        "o'rders|not a plain identifier",
        "\"unterminated|unterminated quoted identifier",
        "a.b.c|more than two parts",
        "orders.|ends with '.'",
        "\"\"|empty quoted identifier"
      })
  void malformedTableNamesTheFieldAndTheProblem(String table, String problem) {
    assertThat(RequestValidator.problems(req("db-1", "shop", "ok", table)))
        .singleElement()
        .asString()
        .startsWith("tables.names[1]: ")
        .contains(problem);
  }

  @Test
  void tableNameOver63BytesIsRefused() {
    assertThat(RequestValidator.problems(req("db-1", "shop", "t".repeat(64))))
        .singleElement()
        .asString()
        .contains("tables.names[0]", "longer than 63 bytes");
    assertThat(RequestValidator.problems(req("db-1", "shop", "t".repeat(63)))).isEmpty();
  }

  @Test
  void quotedNamesCarryAnyCharacterAndParseToTheirValue() {
    QualifiedName name =
        SqlIdentifiers.parseQualified("\"Sales Q1\".\"it's \"\"odd\"\"; yes\"", "public");
    assertThat(name).isEqualTo(new QualifiedName("Sales Q1", "it's \"odd\"; yes"));
    assertThat(name.quoted()).isEqualTo("\"Sales Q1\".\"it's \"\"odd\"\"; yes\"");
  }

  @Test
  void unknownRebootPolicyAndNetworkModeNameTheChoices() {
    assertThatThrownBy(() -> RequestValidator.rebootPolicy("whenever"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(
            "rebootPolicy: 'whenever' is not one of IMMEDIATE, APPROVAL," + " MAINTENANCE_WINDOW");
    assertThatThrownBy(() -> RequestValidator.networkMode("vpn"))
        .hasMessageContaining("networkMode: 'vpn' is not one of EGRESS_IPS, SSH_TUNNEL");
    assertThat(RequestValidator.rebootPolicy("maintenance-window"))
        .isEqualTo(RebootPolicy.MAINTENANCE_WINDOW);
  }

  @Test
  void sshTunnelNeedsAConnectionName() {
    OnboardingRequest r = req("db-1", "shop", "orders").withNetworkMode(NetworkMode.SSH_TUNNEL);
    assertThat(RequestValidator.problems(r))
        .singleElement()
        .asString()
        .startsWith("materialize.sshTunnelConnection: ");
  }

  @Test
  void validateThrowsWithEveryProblem() {
    assertThatThrownBy(() -> RequestValidator.validate(req("", "", "x;y")))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).problems()).hasSize(3));
  }

  @Test
  void maxRebootsIsBetweenOneAndThreeAndDefaultsByPolicy() {
    assertThat(RequestValidator.problems(req("db-1", "shop", "orders").withMaxReboots(4)))
        .singleElement()
        .asString()
        .startsWith("maxReboots: 4 is not between 1 and 3");
    assertThat(RequestValidator.problems(req("db-1", "shop", "orders").withMaxReboots(2)))
        .isEmpty();
    assertThat(req("db-1", "shop", "orders").withRebootPolicy(RebootPolicy.IMMEDIATE).rebootLimit())
        .isEqualTo(1);
    assertThat(req("db-1", "shop", "orders").withRebootPolicy(RebootPolicy.APPROVAL).rebootLimit())
        .isEqualTo(2);
    assertThat(req("db-1", "shop", "orders").appliesPendingModifications()).isFalse();
  }
}
