package dev.onramp.worker.resources;

import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Start, inspect, approve, reject, cancel and list onboardings. A target is addressed as {@code
 * /onboardings/{region}/{dbInstanceId}/{database}}, the parts of its workflow id.
 */
@Path("/onboardings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OnboardingResource {
  private final OnboardingClient onboardings;

  public OnboardingResource(OnboardingClient onboardings) {
    this.onboardings = onboardings;
  }

  public record Started(String workflowId) {}

  public record Decision(String approver, String reason) {}

  public record Problem(String error, List<String> problems) {}

  @POST
  public Response start(OnboardingRequest request) {
    try {
      String id = onboardings.start(request);
      return Response.status(Response.Status.CREATED).entity(new Started(id)).build();
    } catch (InvalidRequestException e) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(new Problem("invalid onboarding request", e.problems()))
          .build();
    } catch (OnboardingClient.AlreadyRunningException e) {
      return Response.status(Response.Status.CONFLICT)
          .entity(new Problem(e.getMessage(), List.of()))
          .build();
    }
  }

  @GET
  public List<OnboardingClient.OnboardingSummary> list(@QueryParam("limit") Integer limit) {
    return onboardings.list(limit == null ? 50 : Math.min(limit, 1000));
  }

  @GET
  @Path("/{region}/{instance}/{database}")
  public Response progress(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database) {
    return call(() -> onboardings.progress(id(region, instance, database)));
  }

  @POST
  @Path("/{region}/{instance}/{database}/approve")
  public Response approve(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database,
      Decision decision) {
    return call(() -> onboardings.approve(id(region, instance, database), approver(decision)));
  }

  @POST
  @Path("/{region}/{instance}/{database}/reject")
  public Response reject(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database,
      Decision decision) {
    return call(
        () ->
            onboardings.reject(
                id(region, instance, database),
                approver(decision),
                decision == null ? null : decision.reason()));
  }

  @DELETE
  @Path("/{region}/{instance}/{database}")
  public Response cancel(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database) {
    return call(
        () -> {
          onboardings.cancel(id(region, instance, database));
          return Map.of("cancelRequested", true);
        });
  }

  private static String id(String region, String instance, String database) {
    return OnboardingWorkflows.workflowId(region, instance, database);
  }

  private static String approver(Decision d) {
    return d == null || d.approver() == null || d.approver().isBlank() ? "rest-api" : d.approver();
  }

  /** Maps "no such onboarding" to 404 and a refused update to 409, with the reason. */
  private static Response call(Supplier<?> action) {
    try {
      return Response.ok(action.get()).build();
    } catch (WorkflowNotFoundException e) {
      return Response.status(Response.Status.NOT_FOUND)
          .entity(new Problem("no such onboarding: " + e.getExecution().getWorkflowId(), List.of()))
          .build();
    } catch (WorkflowUpdateException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return Response.status(Response.Status.CONFLICT)
          .entity(new Problem(rootMessage(root), List.of()))
          .build();
    }
  }

  private static String rootMessage(Throwable t) {
    return t instanceof io.temporal.failure.ApplicationFailure af
        ? af.getOriginalMessage()
        : t.getMessage();
  }
}
