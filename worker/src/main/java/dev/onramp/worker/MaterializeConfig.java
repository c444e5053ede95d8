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

  @NotBlank @JsonProperty public String database = "materialize";

  /** verify-full by default; with no sslRootCert against the JVM's trust store. */
  @NotBlank @JsonProperty public String sslMode = "verify-full";

  /** A PEM CA bundle for Materialize's certificate (MZ_SSLROOTCERT); empty: the trust store. */
  @JsonProperty public String sslRootCert;

  public MaterializeSettings toSettings() {
    MaterializeSettings s =
        new MaterializeSettings(host, port, user, password, database, sslMode, sslRootCert);
    UpstreamTlsConfig.checked(s.tls(), "materialize");
    return s;
  }
}
