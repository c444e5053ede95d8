package dev.onramp.worker.resources;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.worker.auth.PolicyConfig;
import dev.onramp.workflows.FleetRequest;
import dev.onramp.workflows.FleetWorkflows;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.client.FleetClient;
import dev.onramp.workflows.client.FleetDocument;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Start a fleet ({@code POST /fleets}, the fleet file's fields as JSON: name, limits, defaults,
 * databases), follow it ({@code GET /fleets/{name}}), pause and resume it. Authenticated as every
 * other resource ({@link dev.onramp.worker.auth.BearerTokenFilter}); a fleet with any bad item is
 * refused with every problem named and nothing started.
 */
@Path("/fleets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FleetResource {
  private final FleetClient fleets;
  private final PolicyConfig policy;
  private final ObjectMapper json;

  public FleetResource(FleetClient fleets, PolicyConfig policy, ObjectMapper json) {
    this.fleets = fleets;
    this.policy = policy;
    this.json = json;
  }

  @POST
  public Response start(JsonNode body, @Context SecurityContext caller)
      throws JsonMappingException {
    FleetRequest request;
    try {
      request = json.treeToValue(FleetDocument.expand(body), FleetRequest.class);
    } catch (InvalidRequestException e) {
      return invalid(e.problems());
    } catch (JsonMappingException e) {
      throw e; // JsonProblemMapper names the field (databases[3].tabels)
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return invalid(List.of("body: cannot be read"));
    }
    List<String> refused = refusedPolicies(request);
    if (!refused.isEmpty()) {
      return invalid(refused);
    }
    try {
      String id = fleets.start(request, caller.getUserPrincipal().getName());
      return Response.status(Response.Status.CREATED)
          .entity(new OnboardingResource.Started(id))
          .build();
    } catch (InvalidRequestException e) {
      return invalid(e.problems());
    } catch (FleetClient.AlreadyRunningException e) {
      return Response.status(Response.Status.CONFLICT)
          .entity(new OnboardingResource.Problem(e.getMessage(), List.of()))
          .build();
    }
  }

  @GET
  @Path("/{name}")
  public Response progress(@PathParam("name") String name) {
    try {
      return Response.ok(fleets.progress(FleetWorkflows.workflowId(name))).build();
    } catch (WorkflowNotFoundException e) {
      return notFound(name);
    }
  }

  @POST
  @Path("/{name}/pause")
  public Response pause(@PathParam("name") String name) {
    try {
      fleets.pause(FleetWorkflows.workflowId(name));
      return Response.accepted().build();
    } catch (WorkflowNotFoundException e) {
      return notFound(name);
    }
  }

  @POST
  @Path("/{name}/resume")
  public Response resume(@PathParam("name") String name) {
    try {
      fleets.resume(FleetWorkflows.workflowId(name));
      return Response.accepted().build();
    } catch (WorkflowNotFoundException e) {
      return notFound(name);
    }
  }

  /** Each database's reboot policy must be one this worker allows, as for POST /onboardings. */
  private List<String> refusedPolicies(FleetRequest request) {
    List<String> problems = new ArrayList<>();
    if (request.databases() == null) {
      return problems;
    }
    for (int i = 0; i < request.databases().size(); i++) {
      OnboardingRequest d = request.databases().get(i);
      RebootPolicy asked =
          d == null || d.rebootPolicy() == null ? RebootPolicy.APPROVAL : d.rebootPolicy();
      if (!policy.allowedRebootPolicies.contains(asked)) {
        problems.add(
            "databases["
                + i
                + "].rebootPolicy: "
                + asked
                + " is not allowed by this worker (policy.allowedRebootPolicies: "
                + policy.allowedRebootPolicies.stream().sorted().toList()
                + ")");
      }
    }
    return problems;
  }

  private static Response invalid(List<String> problems) {
    return Response.status(Response.Status.BAD_REQUEST)
        .entity(new OnboardingResource.Problem("invalid fleet", problems))
        .build();
  }

  private static Response notFound(String name) {
    return Response.status(Response.Status.NOT_FOUND)
        .entity(new OnboardingResource.Problem("no fleet " + name, List.of()))
        .build();
  }
}
