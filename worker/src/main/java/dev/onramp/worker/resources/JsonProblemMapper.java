package dev.onramp.worker.resources;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.onramp.workflows.SqlIdentifiers;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A body that does not map onto the request (an unknown field, an unknown enum value, a list where
 * a name belongs) is a 400 naming the field, as the request file's errors do, instead of
 * Dropwizard's bare "Unable to process JSON".
 */
public class JsonProblemMapper implements ExceptionMapper<JsonMappingException> {

  @Override
  public Response toResponse(JsonMappingException e) {
    String field =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    String problem;
    if (e instanceof UnrecognizedPropertyException u) {
      problem = "unknown field '" + SqlIdentifiers.printable(u.getPropertyName()) + "'";
    } else if (e instanceof InvalidFormatException f && f.getTargetType().isEnum()) {
      problem =
          "'"
              + SqlIdentifiers.printable(String.valueOf(f.getValue()))
              + "' is not one of "
              + Arrays.stream(f.getTargetType().getEnumConstants())
                  .map(Object::toString)
                  .collect(Collectors.joining(", "));
    } else {
      problem = "has the wrong type or form";
    }
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new OnboardingResource.Problem(
                "invalid onboarding request",
                List.of((field.isEmpty() ? "body" : field) + ": " + problem)))
        .build();
  }
}
