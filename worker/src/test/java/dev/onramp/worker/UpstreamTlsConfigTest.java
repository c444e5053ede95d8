package dev.onramp.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.pg.PgTls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS setting the worker cannot use stops it at start, naming the configuration key. */
class UpstreamTlsConfigTest {
  @TempDir Path dir;

  @Test
  void anUnreadableCaBundleFailsAtStartWithItsKey() {
    UpstreamTlsConfig upstream = new UpstreamTlsConfig();
    upstream.sslRootCert = dir.resolve("nope.pem").toString();
    assertThatThrownBy(upstream::toTls)
        .hasMessageContaining("upstream.sslRootCert: cannot read the CA bundle")
        .hasMessageContaining("nope.pem");

    MaterializeConfig mz = new MaterializeConfig();
    mz.sslRootCert = dir.resolve("mz.pem").toString();
    assertThatThrownBy(mz::toSettings).hasMessageContaining("materialize.sslRootCert");
  }

  @Test
  void verifyFullIsTheDefaultAndRequireMustBeAskedFor() throws Exception {
    Path bundle =
        Files.writeString(dir.resolve("global-bundle.pem"), "-----BEGIN CERTIFICATE-----");
    UpstreamTlsConfig upstream = new UpstreamTlsConfig();
    assertThat(upstream.sslMode).isEqualTo("verify-full");
    assertThat(upstream.sslRootCert).isEqualTo(PgTls.DEFAULT_RDS_BUNDLE);
    upstream.sslRootCert = bundle.toString();
    assertThat(upstream.toTls()).isEqualTo(new PgTls("verify-full", bundle.toString()));
    upstream.sslMode = "require";
    assertThat(upstream.toTls().verifies()).isFalse();
    assertThat(new MaterializeConfig().toSettings().tls()).isEqualTo(PgTls.systemTrust());
  }
}
