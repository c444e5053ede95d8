package dev.onramp.worker.resources;

import io.temporal.client.WorkflowServiceException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/** Temporal refused or could not be reached: 503 with its reason, not a bare 500. */
public class TemporalUnavailableMapper implements ExceptionMapper<WorkflowServiceException> {

  @Override
  public Response toResponse(WorkflowServiceException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .type(MediaType.APPLICATION_JSON)
        .entity(new OnboardingResource.Problem("Temporal: " + root.getMessage(), List.of()))
        .build();
  }
}
