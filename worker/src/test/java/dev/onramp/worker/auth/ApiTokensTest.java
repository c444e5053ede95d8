package dev.onramp.worker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named tokens from the environment and a file; errors name the key, never the token. */
class ApiTokensTest {
  private static final String A = "a".repeat(32);
  private static final String B = "b".repeat(40);

  private static AuthConfig config(String tokens, String file) {
    AuthConfig c = new AuthConfig();
    c.tokens = tokens;
    c.tokensFile = file;
    return c;
  }

  @Test
  void tokensFromTheEnvironmentAndAFileAreMatchedToTheirNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# ops\n\nbob   " + B + "\n");
    ApiTokens tokens = ApiTokens.from(config("alice:" + A, file.toString()));
    assertThat(tokens.names()).containsExactly("alice", "bob");
    assertThat(tokens.nameOf(A)).contains("alice");
    assertThat(tokens.nameOf(B)).contains("bob");
    assertThat(tokens.nameOf(A + "x")).isEmpty();
    assertThat(tokens.nameOf(A.substring(1))).isEmpty();
    assertThat(tokens.nameOf(null)).isEmpty();
    assertThat(ApiTokens.from(config("", "")).isEmpty()).isTrue();
  }

  @Test
  void malformedShortOrRepeatedEntriesNameTheKey(@TempDir Path dir) {
    assertThatThrownBy(() -> ApiTokens.from(config(A, null)))
        .hasMessageContaining("auth.tokens (ONRAMP_API_TOKENS): entry 1 is not name:token")
        .hasMessageNotContaining(A);
    assertThatThrownBy(() -> ApiTokens.from(config("x:" + "s".repeat(31), null)))
        .hasMessageContaining("'x' is 31 bytes");
    assertThatThrownBy(() -> ApiTokens.from(config("x:" + A + ",x:" + B, null)))
        .hasMessageContaining("'x' appears twice");
    assertThatThrownBy(() -> ApiTokens.from(config("bad name:" + A, null)))
        .hasMessageContaining("token name 'bad name'");
    assertThatThrownBy(() -> ApiTokens.from(config(null, dir.resolve("nope").toString())))
        .hasMessageContaining("auth.tokensFile (ONRAMP_API_TOKENS_FILE)")
        .hasMessageContaining("cannot read");
  }
}
