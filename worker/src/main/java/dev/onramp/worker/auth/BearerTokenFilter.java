package dev.onramp.worker.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Every request to the application port carries {@code Authorization: Bearer <token>} or is
 * answered 401 with {@code WWW-Authenticate: Bearer}. Deny by default: it runs before resource
 * matching, so a resource added later is covered without an annotation. The one exception is the
 * CORS preflight of the codec endpoint, which browsers send without credentials by design (Fetch
 * standard, "CORS-preflight request") and which returns no data.
 *
 * <p>With no token configured the worker only starts on loopback ({@link LoopbackGuard}) and takes
 * every local caller as {@value #LOCAL_CALLER}, but only when the Host header names loopback too:
 * otherwise a web page could reach the API through DNS rebinding (a name that resolves to 127.0.0.1
 * makes the browser treat the API as the page's own origin).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BearerTokenFilter implements ContainerRequestFilter {
  private static final String PREFIX = "Bearer ";
  public static final String LOCAL_CALLER = "local";
  private final ApiTokens tokens;

  public BearerTokenFilter(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (HttpMethod.OPTIONS.equals(request.getMethod())
        && request.getUriInfo().getPath().startsWith("codec/")) {
      return;
    }
    boolean secure = request.getSecurityContext().isSecure();
    if (tokens.isEmpty()) {
      if (loopbackHost(request.getHeaderString(HttpHeaders.HOST))) {
        request.setSecurityContext(new Caller(new ApiCaller(LOCAL_CALLER), secure));
      } else {
        request.abortWith(
            Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON)
                .entity(
                    Map.of(
                        "error",
                        "no API token is configured, so only requests addressed to localhost,"
                            + " 127.0.0.1 or [::1] are served; set ONRAMP_API_TOKENS",
                        "problems",
                        List.of()))
                .build());
      }
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String presented =
        header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
            ? header.substring(PREFIX.length()).strip()
            : null;
    var name = tokens.nameOf(presented);
    if (name.isEmpty()) {
      request.abortWith(
          Response.status(Response.Status.UNAUTHORIZED)
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"onramp\"")
              .type(MediaType.APPLICATION_JSON)
              .entity(
                  Map.of(
                      "error",
                      presented == null
                          ? "missing credential: send Authorization: Bearer <token>"
                          : "unknown token",
                      "problems",
                      List.of()))
              .build());
      return;
    }
    request.setSecurityContext(new Caller(new ApiCaller(name.get()), secure));
  }

  private static boolean loopbackHost(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String host =
        hostHeader.startsWith("[")
            ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
            : hostHeader.replaceFirst(":\\d*$", "");
    return host.equalsIgnoreCase("localhost")
        || host.equals("[::1]")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** The authenticated caller: the name its token was configured under. */
  public record ApiCaller(String getName) implements Principal {}

  private record Caller(ApiCaller principal, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
