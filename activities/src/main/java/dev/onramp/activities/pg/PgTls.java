package dev.onramp.activities.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.postgresql.PGProperty;

/**
 * How a pgjdbc connection checks the server: {@code verify-full} (the certificate chains to a
 * trusted CA and names the host we dialled) unless configured otherwise. With {@code rootCert}
 * pgjdbc trusts that PEM bundle ({@code sslrootcert}; for RDS the global bundle, {@code
 * global-bundle.pem}, see "Using SSL/TLS to encrypt a connection to a DB instance" in the RDS user
 * guide); without it the JVM's trust store ({@code DefaultJavaSSLFactory}), which is what
 * Materialize Cloud's publicly trusted certificates need.
 */
public record PgTls(String sslMode, String rootCert) {
  /** Where the worker looks for the RDS CA bundle unless {@code upstream.sslRootCert} says. */
  public static final String DEFAULT_RDS_BUNDLE = "/etc/onramp/tls/global-bundle.pem";

  static final List<String> MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public PgTls {
    sslMode =
        sslMode == null || sslMode.isBlank()
            ? "verify-full"
            : sslMode.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    rootCert = rootCert == null || rootCert.isBlank() ? null : rootCert;
  }

  /** The worker's upstream default: verify-full against the RDS global bundle. */
  public static PgTls upstreamDefault() {
    return new PgTls("verify-full", DEFAULT_RDS_BUNDLE);
  }

  /** The worker's Materialize default: verify-full against the JVM's trust store. */
  public static PgTls systemTrust() {
    return new PgTls("verify-full", null);
  }

  /** Whether the server's certificate is checked at all. */
  public boolean verifies() {
    return sslMode.startsWith("verify-");
  }

  /**
   * What is wrong with this setting, named by {@code key} (the configuration key), or null: an
   * unknown mode, or a CA bundle that cannot be read.
   */
  public String problem(String key) {
    if (!MODES.contains(sslMode)) {
      return key + ".sslMode: '" + sslMode + "' is not one of " + MODES;
    }
    if (verifies() && rootCert != null && !Files.isReadable(Path.of(rootCert))) {
      return key
          + ".sslRootCert: cannot read the CA bundle "
          + rootCert
          + (rootCert.equals(DEFAULT_RDS_BUNDLE)
              ? " (the default; put the RDS global-bundle.pem there or set " + key + ".sslRootCert)"
              : "");
    }
    return null;
  }

  /** pgjdbc's "The hostname … could not be verified by hostnameverifier …". */
  public static boolean isHostnameMismatch(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("could not be verified")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code e} says the server's certificate did not verify (an unknown CA, or a name that
   * is not the host we dialled), as opposed to a network problem worth retrying.
   */
  public static boolean isVerificationFailure(SQLException e) {
    if (isHostnameMismatch(e)) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /**
   * What to tell a person whose connection to {@code where} failed verification with {@code e}: a
   * certificate from a trusted CA that does not carry the name dialled needs another name, not
   * another CA.
   */
  public String verificationAdvice(String where, String key, SQLException e) {
    if (isHostnameMismatch(e)) {
      return "the TLS certificate of "
          + where
          + " is from a trusted CA but not for the name dialled (sslmode "
          + sslMode
          + " checks the name): reach the server by a name its certificate carries (for RDS, the"
          + " instance's endpoint address, not an IP address or a CNAME of your own)";
    }
    return "the TLS certificate of "
        + where
        + " did not verify (sslmode "
        + sslMode
        + ", CA "
        + (rootCert == null ? "the JVM trust store" : rootCert)
        + "); set "
        + key
        + ".sslRootCert to the CA bundle that issued the server's certificate";
  }

  /**
   * The CA bundle's PEM text, to hand to Materialize ({@code SSL CERTIFICATE AUTHORITY}) so that
   * its connection to the upstream can verify too; null when none is configured or readable.
   */
  public String certificateAuthority() {
    if (rootCert == null || !Files.isReadable(Path.of(rootCert))) {
      return null;
    }
    try {
      return Files.readString(Path.of(rootCert));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CA bundle " + rootCert, e);
    }
  }

  /** Sets pgjdbc's SSL properties on {@code p}. */
  public void applyTo(Properties p) {
    PGProperty.SSL_MODE.set(p, sslMode);
    if (!verifies()) {
      return;
    }
    if (rootCert != null) {
      PGProperty.SSL_ROOT_CERT.set(p, rootCert);
    } else {
      PGProperty.SSL_FACTORY.set(p, "org.postgresql.ssl.DefaultJavaSSLFactory");
    }
  }
}
