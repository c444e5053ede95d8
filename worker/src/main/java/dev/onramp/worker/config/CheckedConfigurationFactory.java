package dev.onramp.worker.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Dropwizard's YAML configuration factory, with the required values checked first: a configuration
 * whose {@code ${VAR}} references are not set fails at start naming every key, its line, the
 * variable and what the key expects ({@link RequiredValues}). Unknown keys are refused by
 * Dropwizard itself ("Unrecognized field at: temporal.foo", with the keys that exist).
 */
public final class CheckedConfigurationFactory<T> extends YamlConfigurationFactory<T> {
  private final ConfigurationSourceProvider unsubstituted;
  private final Function<String, String> environment;

  public CheckedConfigurationFactory(
      Class<T> klass,
      Validator validator,
      ObjectMapper mapper,
      String propertyPrefix,
      ConfigurationSourceProvider unsubstituted,
      Function<String, String> environment) {
    // Dropwizard's object mapper ignores unknown properties (Jackson.newObjectMapper disables
    // FAIL_ON_UNKNOWN_PROPERTIES), so a misspelt key would silently fall back to its default.
    super(
        klass,
        validator,
        mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES),
        propertyPrefix);
    this.unsubstituted = unsubstituted;
    this.environment = environment;
  }

  @Override
  public T build(ConfigurationSourceProvider provider, String path)
      throws IOException, ConfigurationException {
    String text;
    try (InputStream in = unsubstituted.open(path)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<RequiredValues.Missing> missing = RequiredValues.missing(text, environment);
    if (!missing.isEmpty()) {
      throw new MissingValuesException(
          path, missing.stream().map(RequiredValues.Missing::describe).toList());
    }
    return super.build(provider, path);
  }

  /** Every missing value, reported the way Dropwizard reports a configuration's errors. */
  public static final class MissingValuesException extends ConfigurationException {
    MissingValuesException(String path, List<String> errors) {
      super(path + " (required values are not set; nothing was started)", errors);
    }
  }
}
