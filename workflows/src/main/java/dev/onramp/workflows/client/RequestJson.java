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
