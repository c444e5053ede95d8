package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.worker.auth.AuthConfig;
import dev.onramp.worker.auth.PolicyConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.HashMap;
import java.util.Map;

/** The worker's YAML configuration; ${ENV_VAR} references are substituted on load. */
public class OnrampConfiguration extends Configuration {
  @Valid @NotNull @JsonProperty public TemporalSettings temporal = new TemporalSettings();
  @Valid @NotNull @JsonProperty public AwsConfig aws = new AwsConfig();
  @Valid @NotNull @JsonProperty public MaterializeConfig materialize = new MaterializeConfig();
  @Valid @NotNull @JsonProperty public UpstreamTlsConfig upstream = new UpstreamTlsConfig();

  /** Who may call the REST API and the codec endpoint. */
  @Valid @NotNull @JsonProperty public AuthConfig auth = new AuthConfig();

  /** What callers of the REST API may ask for. */
  @Valid @NotNull @JsonProperty public PolicyConfig policy = new PolicyConfig();

  /** Where the worker tells people what needs them (see README, "Notifications"). */
  @Valid @NotNull @JsonProperty
  public NotificationsConfig notifications = new NotificationsConfig();

  /** Named admin credentials for requests that say {@code WORKER_CONFIG:<name>}. */
  @Valid @NotNull @JsonProperty public Map<String, CredentialsConfig> credentials = new HashMap<>();

  /** A user name and password, both normally from the environment. */
  public static class CredentialsConfig {
    @JsonProperty public String username;
    @JsonProperty public String password;
  }
}
