package dev.onramp.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configurations the worker must refuse before it listens or connects anywhere: a short token (the
 * key named, the token not echoed), an open bind without any token. Temporal, AWS and Materialize
 * point at a closed loopback port; the refusals come first.
 */
class StartRefusalTest {
  private static final String SHORT_TOKEN = "abcdefghijklmnopqrstuvwxyz01234";

  private static DropwizardTestSupport<OnrampConfiguration> app(ConfigOverride... extra) {
    return app(1, extra);
  }

  private static DropwizardTestSupport<OnrampConfiguration> app(
      int temporalPort, ConfigOverride... extra) {
    List<ConfigOverride> all =
        new ArrayList<>(
            List.of(
                ConfigOverride.config("temporal.target", "127.0.0.1:" + temporalPort),
                ConfigOverride.config("temporal.registerSearchAttributes", "false"),
                ConfigOverride.config("aws.endpoint", "http://127.0.0.1:1"),
                ConfigOverride.config("materialize.port", "1"),
                // No RDS CA bundle on a build machine; upstreams are never reached here.
                ConfigOverride.config("upstream.sslMode", "require"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0")));
    all.addAll(List.of(extra));
    return new DropwizardTestSupport<>(
        OnrampApplication.class, (String) null, all.toArray(ConfigOverride[]::new));
  }

  @Test
  void aTokenShorterThan32BytesFailsTheStartNamingTheKey() {
    var app = app(ConfigOverride.config("auth.tokens", "ops:" + SHORT_TOKEN));
    assertThatThrownBy(app::before)
        .hasMessageContaining("auth.tokens (ONRAMP_API_TOKENS)")
        .hasMessageContaining("'ops' is 31 bytes")
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining(SHORT_TOKEN);
    app.after();
  }

  @Test
  void aShortTokenInTheTokensFileFailsNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(
        file, "# name token\nalice alice-token-0123456789abcdefghijklmnop\nbob short\n");
    var app = app(ConfigOverride.config("auth.tokensFile", file.toString()));
    assertThatThrownBy(app::before)
        .hasMessageContaining("auth.tokensFile (ONRAMP_API_TOKENS_FILE) " + file + " line 3")
        .hasMessageContaining("'bob' is 5 bytes");
    app.after();
  }

  @Test
  void anOpenBindWithoutAnyTokenRefusesToStartSayingWhatToSet() {
    var app =
        app(
            ConfigOverride.config("server.applicationConnectors[0].bindHost", "0.0.0.0"),
            ConfigOverride.config("server.adminConnectors[0].bindHost", "127.0.0.1"));
    assertThatThrownBy(app::before)
        .hasMessageContaining("refusing to start")
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("ONRAMP_API_TOKENS")
        .hasMessageContaining("bind 127.0.0.1");
    app.after();
  }

  private static String rawStatusAndBody(int port, String host) throws java.io.IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write(
              ("GET /nothing-here HTTP/1.1\r\nHost: "
                      + host
                      + ":"
                      + port
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void withoutTokensOnLoopbackOnlyRequestsAddressedToLoopbackAreServed() throws Exception {
    int temporalPort = WorkerUnderTest.freePort();
    var temporal = io.temporal.testserver.TestServer.createPortBoundServer(temporalPort, false);
    var app =
        app(
            temporalPort,
            ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"),
            ConfigOverride.config("server.adminConnectors[0].bindHost", "127.0.0.1"));
    app.before();
    try {
      // A page on another name that resolves to 127.0.0.1 (DNS rebinding) sends its own Host;
      // a raw request, since HTTP clients will not let a caller set Host.
      String rebound = rawStatusAndBody(app.getLocalPort(), "evil.example");
      assertThat(rebound).startsWith("HTTP/1.1 403").contains("ONRAMP_API_TOKENS");
      assertThat(rawStatusAndBody(app.getLocalPort(), "localhost")).startsWith("HTTP/1.1 404");
    } finally {
      app.after();
      temporal.close();
    }
  }
}
