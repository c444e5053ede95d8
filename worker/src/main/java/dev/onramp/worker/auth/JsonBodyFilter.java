package dev.onramp.worker.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * A state-changing POST or PUT must say {@code Content-Type: application/json}. A browser sends a
 * cross-site request without a CORS preflight only with a "simple" content type (form, multipart,
 * text/plain) or none (Fetch standard, CORS-safelisted request-header), so this refuses every
 * request another site could make a browser send. Jersey would otherwise bind a body-less POST to a
 * JSON method with a null entity.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 1)
public final class JsonBodyFilter implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    String method = request.getMethod();
    if (!HttpMethod.POST.equals(method)
        && !HttpMethod.PUT.equals(method)
        && !HttpMethod.PATCH.equals(method)) {
      return;
    }
    MediaType type = request.getMediaType();
    if (type == null
        || !MediaType.APPLICATION_JSON_TYPE.isCompatible(type)
        || type.isWildcardType()
        || type.isWildcardSubtype()) {
      request.abortWith(
          Response.status(Response.Status.UNSUPPORTED_MEDIA_TYPE)
              .type(MediaType.APPLICATION_JSON)
              .entity(
                  Map.of(
                      "error",
                      "send a JSON body with Content-Type: application/json (got "
                          + (type == null ? "none" : type.getType() + "/" + type.getSubtype())
                          + "); an approval with nothing to say sends {}",
                      "problems",
                      List.of()))
              .build());
    }
  }
}
