package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.activities.materialize.MaterializeSettings;
import jakarta.validation.constraints.NotBlank;

/** The Materialize region (or the stand-in) the worker creates objects in. */
public class MaterializeConfig {
  @NotBlank @JsonProperty public String host = "127.0.0.1";
  @JsonProperty public int port = 6875;
  @NotBlank @JsonProperty public String user = "materialize";

  /** An app password, from the environment (MZ_PASSWORD); never committed. */
  @JsonProperty public String password;

  /**
   * A file holding the app password instead (a mounted Docker/Kubernetes secret); its trailing line
   * break is not part of the password. Not together with {@link #password}.
   */
  @JsonProperty public String passwordFile;

  @NotBlank @JsonProperty public String database = "materialize";

  /** verify-full by default; with no sslRootCert against the JVM's trust store. */
  @NotBlank @JsonProperty public String sslMode = "verify-full";

  /** A PEM CA bundle for Materialize's certificate (MZ_SSLROOTCERT); empty: the trust store. */
  @JsonProperty public String sslRootCert;

  public MaterializeSettings toSettings() {
    MaterializeSettings s =
        new MaterializeSettings(host, port, user, password(), database, sslMode, sslRootCert);
    UpstreamTlsConfig.checked(s.tls(), "materialize");
    return s;
  }

  /** {@link #password}, or the content of {@link #passwordFile}; refuses both, naming the keys. */
  String password() {
    boolean inline = password != null && !password.isEmpty();
    if (passwordFile == null || passwordFile.isBlank()) {
      return password;
    }
    if (inline) {
      throw new IllegalArgumentException(
          "materialize.password and materialize.passwordFile are both set: keep one (the file for a"
              + " mounted secret, the password for MZ_PASSWORD)");
    }
    java.nio.file.Path file = java.nio.file.Path.of(passwordFile);
    try {
      String content = java.nio.file.Files.readString(file).stripTrailing();
      if (content.isEmpty()) {
        throw new IllegalArgumentException(
            "materialize.passwordFile " + file + " is empty: it should hold the app password");
      }
      return content;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "materialize.passwordFile "
              + file
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + "): it should be a file holding the app password, readable by the worker",
          e);
    }
  }
}
