package dev.onramp.worker.resources;

import dev.onramp.worker.auth.PolicyConfig;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OffboardingRequest;
import dev.onramp.workflows.OffboardingWorkflows;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.client.OffboardingClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/**
 * Start an offboarding and read its progress, addressed like onboardings ({@code
 * /offboardings/{region}/{dbInstanceId}/{database}}). Every caller is authenticated by {@link
 * dev.onramp.worker.auth.BearerTokenFilter}; the caller's token name is recorded as who asked.
 */
@Path("/offboardings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OffboardingResource {
  private final OffboardingClient offboardings;
  private final PolicyConfig policy;

  public OffboardingResource(OffboardingClient offboardings, PolicyConfig policy) {
    this.offboardings = offboardings;
    this.policy = policy;
  }

  public record Started(String workflowId) {}

  @POST
  public Response start(OffboardingRequest request, @Context SecurityContext caller) {
    // The restoring reboot passes the same policy check as an onboarding's.
    if (request != null && Boolean.TRUE.equals(request.restoreParameterGroup())) {
      RebootPolicy asked =
          request.rebootPolicy() == null ? RebootPolicy.APPROVAL : request.rebootPolicy();
      if (!policy.allowedRebootPolicies.contains(asked)) {
        return problem(
            Response.Status.BAD_REQUEST,
            "invalid offboarding request",
            List.of(
                "rebootPolicy: "
                    + asked
                    + " is not allowed by this worker (policy.allowedRebootPolicies: "
                    + policy.allowedRebootPolicies.stream().sorted().toList()
                    + ")"));
      }
    }
    try {
      String id = offboardings.start(request, caller.getUserPrincipal().getName());
      return Response.status(Response.Status.CREATED).entity(new Started(id)).build();
    } catch (InvalidRequestException e) {
      return problem(Response.Status.BAD_REQUEST, "invalid offboarding request", e.problems());
    } catch (OffboardingClient.AlreadyRunningException e) {
      return problem(Response.Status.CONFLICT, e.getMessage(), List.of());
    }
  }

  /** The progress, also after the run ended: removals, leftovers, the failure if any. */
  @GET
  @Path("/{region}/{instance}/{database}")
  public Response progress(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database) {
    String id = OffboardingWorkflows.workflowId(region, instance, database);
    try {
      return Response.ok(offboardings.progress(id)).build();
    } catch (WorkflowNotFoundException e) {
      return problem(Response.Status.NOT_FOUND, "no such offboarding: " + id, List.of());
    }
  }

  private static Response problem(Response.Status status, String error, List<String> problems) {
    return Response.status(status).entity(new OnboardingResource.Problem(error, problems)).build();
  }
}
