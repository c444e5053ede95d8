package dev.onramp.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.worker.MaterializeConfig;
import dev.onramp.worker.TemporalSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values the examples take from files: the Materialize app password from a mounted secret, and a
 * Temporal Cloud client certificate for mTLS (made here with openssl, as a person would). Wrong or
 * half-given files stop the start naming the key.
 */
class SecretFilesTest {
  @TempDir Path dir;

  @Test
  void theAppPasswordComesFromItsFileWithoutTheLineBreak() throws Exception {
    Path secret = dir.resolve("materialize-app-password");
    Files.writeString(secret, "mzp_s3cret\n");
    MaterializeConfig c = new MaterializeConfig();
    c.passwordFile = secret.toString();
    c.sslMode = "require";
    assertThat(c.toSettings().password()).isEqualTo("mzp_s3cret");

    c.password = "also";
    assertThatThrownBy(c::toSettings)
        .hasMessageContaining("materialize.password and materialize.passwordFile are both set");
    c.password = null;
    c.passwordFile = dir.resolve("absent").toString();
    assertThatThrownBy(c::toSettings)
        .hasMessageContaining("materialize.passwordFile " + dir.resolve("absent"))
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aClientCertificateAndItsPkcs8KeyMakeTheMtlsContext() throws Exception {
    Path cert = dir.resolve("client.pem");
    Path key = dir.resolve("client.key");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=onramp-worker",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");

    TemporalSettings t = new TemporalSettings();
    t.tlsCertFile = cert.toString();
    t.tlsKeyFile = key.toString();
    assertThat(t.clientCertificate()).isNotNull();

    t.tlsKeyFile = null;
    assertThatThrownBy(t::clientCertificate)
        .hasMessageContaining("temporal.tlsCertFile and temporal.tlsKeyFile go together")
        .hasMessageContaining("temporal.tlsKeyFile is not set");
    t.tlsKeyFile = cert.toString(); // a certificate where the key should be
    assertThatThrownBy(t::clientCertificate)
        .hasMessageContaining("are not a PEM certificate and its PKCS#8 private key");
    t.tlsKeyFile = dir.resolve("absent.key").toString();
    assertThatThrownBy(t::clientCertificate)
        .hasMessageContaining(
            "temporal.tlsKeyFile " + dir.resolve("absent.key") + " cannot be read");
  }
}
