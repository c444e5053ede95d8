package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlIdentifiersTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "shop|shop",
        "Shop|shop",
        "SHOP_Floor$2|shop_floor$2",
        "_x|_x",
        "Café|café",
        "CAFÉ|cafÉ",
      })
  void unquotedNamesFoldAsciiToLowerCase(String text, String value) {
    assertThat(SqlIdentifiers.parseIdentifier(text)).isEqualTo(value);
  }

  @Test
  void quotedNamesLoseTheirQuotesAndKeepTheirCase() {
    assertThat(SqlIdentifiers.parseIdentifier("\"Shop\"")).isEqualTo("Shop");
    assertThat(SqlIdentifiers.parseIdentifier("\"Shop Floor\"")).isEqualTo("Shop Floor");
    assertThat(SqlIdentifiers.parseIdentifier("\"Pub-1\"")).isEqualTo("Pub-1");
    assertThat(SqlIdentifiers.parseIdentifier("\"a \"\"b\"\"; --c\"")).isEqualTo("a \"b\"; --c");
    assertThat(SqlIdentifiers.parseIdentifier("\"select\"")).isEqualTo("select");
  }

  @Test
  void quotingAValueOnceGivesBackTheQuotedText() {
    String value = SqlIdentifiers.parseIdentifier("\"Shop\"");
    assertThat(SqlIdentifiers.quote(value)).isEqualTo("\"Shop\"");
    assertThat(SqlIdentifiers.quote(SqlIdentifiers.parseIdentifier("\"a\"\"b\"")))
        .isEqualTo("\"a\"\"b\"");
  }

  @Test
  void qualifiedNamesFoldEachUnquotedPart() {
    assertThat(SqlIdentifiers.parseQualified("Sales.\"Line Items\"", "public"))
        .isEqualTo(new QualifiedName("sales", "Line Items"));
    assertThat(SqlIdentifiers.parseQualified("Orders", "public"))
        .isEqualTo(new QualifiedName("public", "orders"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a\u0000b", "\"a\u0000b\"", "a\nb", "\"x\ty\"", "\u001b[31m", "\"\u007f\""})
  void controlCharactersAndNulAreRefusedQuotedOrNot(String text) {
    assertThatThrownBy(() -> SqlIdentifiers.parseIdentifier(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character U+00")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("\\p{Cntrl}"));
  }

  @Test
  void sixtyThreeBytesAreTheLimitAfterUnquoting() {
    assertThat(SqlIdentifiers.parseIdentifier("a".repeat(63))).hasSize(63);
    assertThat(SqlIdentifiers.parseIdentifier("\"" + "A".repeat(63) + "\"")).hasSize(63);
    assertThatThrownBy(() -> SqlIdentifiers.parseIdentifier("a".repeat(64)))
        .hasMessageContaining("longer than 63 bytes");
    // 32 two-byte characters: 64 bytes in UTF-8.
    assertThatThrownBy(() -> SqlIdentifiers.parseIdentifier("\"" + "é".repeat(32) + "\""))
        .hasMessageContaining("longer than 63 bytes");
  }
}
