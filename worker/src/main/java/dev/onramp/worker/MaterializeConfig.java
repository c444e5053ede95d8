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
  @NotBlank @JsonProperty public String sslMode = "require";

  public MaterializeSettings toSettings() {
    return new MaterializeSettings(host, port, user, password, database, sslMode);
  }
}
