package dev.onramp.cli.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.onramp.cli.Durations;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.client.RequestJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads an onboarding request from YAML (or JSON). Durations may be written {@code 30s}, {@code 2h}
 * or ISO-8601; secret references as {@code SECRETS_MANAGER:<arn>}, {@code WORKER_CONFIG:<name>} or
 * {@code RDS_MANAGED}. Errors name the file, line and field.
 */
public final class RequestFile {
  static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Enums as --reboot-policy reads them, and as the REST API and the worker do.
          .addModule(dev.onramp.workflows.client.RequestJson.enumsAsFlags())
          .addModule(
              new SimpleModule()
                  .addDeserializer(Duration.class, new DurationText())
                  .addDeserializer(SecretRef.class, new SecretRefText()))
          .build();

  private RequestFile() {}

  /** A request-file problem, already phrased for a person. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  public static OnboardingRequest read(Path file) throws Invalid {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new Invalid(file + ": no such file");
    } catch (IOException e) {
      throw new Invalid(file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(file.toString(), text);
  }

  public static OnboardingRequest parse(String name, String text) throws Invalid {
    try {
      OnboardingRequest r = YAML.readValue(text, OnboardingRequest.class);
      if (r == null) {
        throw new Invalid(name + ": is empty; see examples/request.yaml");
      }
      return r;
    } catch (JsonMappingException e) {
      throw new Invalid(describe(name, text, e));
    } catch (JsonProcessingException e) {
      throw new Invalid(
          name
              + " line "
              + e.getLocation().getLineNr()
              + ": not valid YAML ("
              + e.getOriginalMessage()
              + ")");
    }
  }

  static String describe(String name, String text, JsonMappingException e) {
    int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    if (e instanceof UnrecognizedPropertyException u) {
      // The YAML parser reports where it stopped, which can be the next line; find the key.
      line = lineOf(text, u.getPropertyName(), line);
    }
    String where = name + (line < 0 ? "" : " line " + line);
    String field = RequestJson.fieldPath(e);
    String problem;
    if (e instanceof UnrecognizedPropertyException u) {
      problem =
          "unknown field '"
              + u.getPropertyName()
              + "'; known fields: "
              + u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
      field = field.substring(0, Math.max(0, field.lastIndexOf('.')));
    } else if (e instanceof InvalidFormatException f && f.getTargetType().isEnum()) {
      problem =
          "'"
              + f.getValue()
              + "' is not one of "
              + Arrays.stream(f.getTargetType().getEnumConstants())
                  .map(Object::toString)
                  .collect(Collectors.joining(", "));
    } else {
      problem = e.getOriginalMessage();
    }
    return where + (field.isEmpty() ? "" : ", field " + field) + ": " + problem;
  }

  private static int lineOf(String text, String key, int fallback) {
    String[] lines = text.split("\n", -1);
    java.util.regex.Pattern p =
        java.util.regex.Pattern.compile(
            "^\\s*(- )?\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:");
    int best = -1;
    for (int i = 0; i < lines.length; i++) {
      if (p.matcher(lines[i]).find()
          && (best < 0 || Math.abs(i + 1 - fallback) < Math.abs(best - fallback))) {
        best = i + 1;
      }
    }
    return best < 0 ? fallback : best;
  }

  private static final class DurationText extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return Durations.parse(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
    }
  }

  private static final class SecretRefText extends JsonDeserializer<SecretRef> {
    @Override
    public SecretRef deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return SecretRefs.parse(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
    }
  }
}
