package dev.onramp.workflows.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.RequestValidator;
import java.io.IOException;

/**
 * One reading of enum values for every door a request comes in by: the CLI's request file, the REST
 * API and the workflow's data converter (which also reads input typed into the Web UI). Each enum
 * is read as {@link RequestValidator#parseEnum} reads a CLI flag: case-insensitively, with {@code
 * -} for {@code _}, and an unknown value names the field and the choices.
 */
public final class RequestJson {
  private RequestJson() {}

  public static Module enumsAsFlags() {
    return new SimpleModule("onramp-enums")
        .setDeserializerModifier(
            new BeanDeserializerModifier() {
              @Override
              public JsonDeserializer<?> modifyEnumDeserializer(
                  DeserializationConfig config,
                  JavaType type,
                  BeanDescription beanDesc,
                  JsonDeserializer<?> deserializer) {
                return new EnumText(type.getRawClass());
              }
            });
  }

  /**
   * Durations as the CLI takes them ({@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code
   * 250ms}) besides ISO-8601 ({@code PT30S}) and Jackson's number of seconds; anything else names
   * the field and the forms. For the doors people type into (REST bodies); the workflow's data
   * converter keeps Jackson's own reading, which the recorded histories were written with.
   */
  public static Module durationsAsFlags() {
    return new SimpleModule("onramp-durations")
        .addDeserializer(java.time.Duration.class, new DurationText());
  }

  private static final java.util.regex.Pattern SHORT_DURATION =
      java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private static final class DurationText extends JsonDeserializer<java.time.Duration> {
    @Override
    public java.time.Duration deserialize(JsonParser p, DeserializationContext ctx)
        throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return java.time.Duration.ofSeconds(p.getLongValue());
      }
      if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
        java.math.BigDecimal seconds = p.getDecimalValue();
        return java.time.Duration.ofSeconds(
            seconds.longValue(),
            seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
      }
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (java.time.Duration) ctx.handleUnexpectedToken(java.time.Duration.class, p);
      }
      String text = p.getText().strip();
      var m = SHORT_DURATION.matcher(text.toLowerCase(java.util.Locale.ROOT));
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> java.time.Duration.ofMillis(n);
          case "s" -> java.time.Duration.ofSeconds(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          case "h" -> java.time.Duration.ofHours(n);
          default -> java.time.Duration.ofDays(n);
        };
      }
      try {
        return java.time.Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        String field = p.currentName() == null ? "duration" : p.currentName();
        throw InvalidFormatException.from(
            p,
            field
                + ": '"
                + text
                + "' is not a duration; write 30s, 5m, 2h, 1d or ISO-8601 such as PT30S",
            text,
            java.time.Duration.class);
      }
    }
  }

  private static final class EnumText extends JsonDeserializer<Enum<?>> {
    private final Class<?> type;

    EnumText(Class<?> type) {
      this.type = type;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Enum<?> deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Enum<?>) ctx.handleUnexpectedToken(type, p);
      }
      String text = p.getText();
      String field = p.currentName() == null ? type.getSimpleName() : p.currentName();
      try {
        return RequestValidator.parseEnum((Class) type, field, text);
      } catch (InvalidRequestException e) {
        throw InvalidFormatException.from(p, String.join("; ", e.problems()), text, type);
      }
    }
  }

  /**
   * Where in a request a Jackson error is, as a person writes it: {@code materialize.cluster},
   * {@code tables.names[2]}; empty for the whole document.
   */
  public static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(java.util.stream.Collectors.joining("."))
        .replace(".[", "[");
  }
}
