package dev.onramp.worker.resources;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.onramp.workflows.client.RequestJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/**
 * A body that does not bind: 400 naming the field and the problem, as the CLI does for a request
 * file (Dropwizard's own mapper says only "Unable to process JSON"). Echoes the field path, never
 * the value of an unknown field.
 */
public final class JsonProblemMapper implements ExceptionMapper<JsonMappingException> {

  @Override
  public Response toResponse(JsonMappingException e) {
    String field = RequestJson.fieldPath(e);
    String problem;
    if (e instanceof UnrecognizedPropertyException u) {
      problem =
          "unknown field; known fields: "
              + u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
    } else if (e instanceof InvalidFormatException f && f.getTargetType().isEnum()) {
      problem = f.getOriginalMessage();
      int colon = problem.indexOf(": ");
      problem = colon >= 0 ? problem.substring(colon + 2) : problem;
    } else {
      problem = "cannot be read (" + firstLine(e.getOriginalMessage()) + ")";
    }
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(
            new OnboardingResource.Problem(
                "invalid JSON body", List.of((field.isEmpty() ? "body" : field) + ": " + problem)))
        .build();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
