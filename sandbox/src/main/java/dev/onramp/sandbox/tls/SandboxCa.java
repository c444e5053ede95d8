package dev.onramp.sandbox.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The sandbox's own certificate authority, so that clients connect to the stand-ins with {@code
 * sslmode=verify-full} as they do to RDS (whose servers present certificates from the RDS CAs in
 * {@code global-bundle.pem}). Made once per directory with {@code openssl}; {@link #certificate()}
 * is the file a client trusts. Server certificates carry the names clients use: {@code 127.0.0.1}
 * and {@code localhost}, the endpoint address the emulator reports.
 */
public final class SandboxCa {
  public static final List<String> LOOPBACK_NAMES = List.of("IP:127.0.0.1", "DNS:localhost");

  private final Path dir;

  /** The CA in {@code dir}, created there on first use. */
  public SandboxCa(Path dir) {
    this.dir = dir.toAbsolutePath();
    ensureCa();
  }

  /** The CA certificate (PEM) a client trusts: pgjdbc's {@code sslrootcert}. */
  public Path certificate() {
    return dir.resolve("ca.crt");
  }

  private Path key() {
    return dir.resolve("ca.key");
  }

  private synchronized void ensureCa() {
    if (Files.exists(certificate()) && Files.exists(key())) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "3650",
        "-subj",
        "/CN=onramp sandbox CA " + dir.getFileName(),
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        key().toString(),
        "-out",
        certificate().toString());
    restrict(key());
  }

  /**
   * Issues a server certificate and key to {@code crt} and {@code key} (PEM, the key PKCS#8) unless
   * a certificate from this CA is already there; {@code names} as subjectAltName entries ({@code
   * IP:127.0.0.1}, {@code DNS:localhost}).
   */
  public synchronized void issueServerCertificate(Path crt, Path key, List<String> names) {
    if (Files.exists(crt) && Files.exists(key) && issuedByThisCa(crt)) {
      return;
    }
    try {
      Files.createDirectories(crt.toAbsolutePath().getParent());
      Path csr = Files.createTempFile(dir, "server", ".csr");
      Path ext = Files.createTempFile(dir, "server", ".ext");
      try {
        Files.writeString(
            ext,
            "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=serverAuth\n"
                + "subjectAltName="
                + String.join(",", names)
                + "\n");
        openssl(
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            key.toString(),
            "-out",
            csr.toString());
        openssl(
            "x509",
            "-req",
            "-sha256",
            "-days",
            "825",
            "-in",
            csr.toString(),
            "-CA",
            certificate().toString(),
            "-CAkey",
            key().toString(),
            "-set_serial",
            Long.toString(System.nanoTime()),
            "-extfile",
            ext.toString(),
            "-out",
            crt.toString());
      } finally {
        Files.deleteIfExists(csr);
        Files.deleteIfExists(ext);
      }
      // PostgreSQL refuses a key readable by group or others.
      restrict(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TLS server context presenting {@code crt} (issued by this CA) with {@code key}. */
  public static SSLContext serverContext(Path crt, Path key) {
    try {
      X509Certificate cert = read(crt);
      String pem = Files.readString(key, StandardCharsets.US_ASCII);
      String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      PrivateKey privateKey =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] none = new char[0];
      ks.setKeyEntry("server", privateKey, none, new Certificate[] {cert});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, none);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the TLS certificate " + crt, e);
    }
  }

  private boolean issuedByThisCa(Path crt) {
    try {
      read(crt).verify(read(certificate()).getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static X509Certificate read(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("not a certificate: " + pem, e);
    }
  }

  private static void restrict(Path key) {
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "openssl " + args[0] + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run openssl (is it on the PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running openssl", e);
    }
  }
}
