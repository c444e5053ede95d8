package dev.onramp.worker.resources;

import dev.onramp.worker.auth.PolicyConfig;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.client.WorkflowFailedException;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Start, inspect, approve, reject, cancel and list onboardings. A target is addressed as {@code
 * /onboardings/{region}/{dbInstanceId}/{database}}, the parts of its workflow id. Every caller is
 * authenticated by {@link dev.onramp.worker.auth.BearerTokenFilter}; the caller's token name is who
 * started an onboarding and who decided its reboot.
 */
@Path("/onboardings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OnboardingResource {
  private final OnboardingClient onboardings;
  private final PolicyConfig policy;

  public OnboardingResource(OnboardingClient onboardings, PolicyConfig policy) {
    this.onboardings = onboardings;
    this.policy = policy;
  }

  public record Started(String workflowId) {}

  /**
   * The body of an approve or reject. {@code approver} is accepted for older clients and ignored:
   * the decision is recorded under the authenticated caller's name.
   */
  public record Decision(String approver, String reason) {}

  public record Problem(String error, List<String> problems) {}

  @POST
  public Response start(OnboardingRequest request, @Context SecurityContext caller) {
    Response refused = refusedPolicy(request);
    if (refused != null) {
      return refused;
    }
    try {
      String id = onboardings.start(request, callerName(caller));
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

  /**
   * What onboarding the request would do, changing nothing (the {@code PlanWorkflow}). The same
   * refusals as {@link #start} for bad input (400); a request the onboarding's preflight would
   * refuse answers 422 with the same message.
   */
  @POST
  @Path("/plan")
  public Response plan(OnboardingRequest request) {
    Response refused = refusedPolicy(request);
    if (refused != null) {
      return refused;
    }
    try {
      return Response.ok(onboardings.plan(request, PLAN_TIMEOUT)).build();
    } catch (InvalidRequestException e) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(new Problem("invalid onboarding request", e.problems()))
          .build();
    } catch (WorkflowFailedException e) {
      return Response.status(422)
          .entity(
              new Problem(
                  "the onboarding would be refused: " + rootMessage(e.getCause()), List.of()))
          .build();
    }
  }

  /** How long a plan may take: preflight and one read per resource. */
  static final java.time.Duration PLAN_TIMEOUT = java.time.Duration.ofMinutes(10);

  /** A reboot policy this worker does not allow: 400, as for any other bad field. */
  private Response refusedPolicy(OnboardingRequest request) {
    RebootPolicy asked =
        request == null || request.rebootPolicy() == null
            ? RebootPolicy.APPROVAL
            : request.rebootPolicy();
    if (request != null && !policy.allowedRebootPolicies.contains(asked)) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(
              new Problem(
                  "invalid onboarding request",
                  List.of(
                      "rebootPolicy: "
                          + asked
                          + " is not allowed by this worker (policy.allowedRebootPolicies: "
                          + policy.allowedRebootPolicies.stream().sorted().toList()
                          + ")")))
          .build();
    }
    return null;
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
      Decision decision,
      @Context SecurityContext caller) {
    String id = id(region, instance, database);
    return decide(id, caller, () -> onboardings.approve(id, callerName(caller)));
  }

  @POST
  @Path("/{region}/{instance}/{database}/reject")
  public Response reject(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database,
      Decision decision,
      @Context SecurityContext caller) {
    String id = id(region, instance, database);
    return decide(
        id,
        caller,
        () ->
            onboardings.reject(
                id, callerName(caller), decision == null ? null : decision.reason()));
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

  private static String callerName(SecurityContext caller) {
    return caller.getUserPrincipal().getName();
  }

  /**
   * With {@code policy.requesterMayApproveReboot: false}, the one who started an onboarding may not
   * decide its reboot: four eyes on a production reboot.
   */
  private Response decide(String workflowId, SecurityContext caller, Supplier<?> decision) {
    if (!policy.requesterMayApproveReboot) {
      String requester;
      try {
        requester = onboardings.requestedBy(workflowId);
      } catch (WorkflowNotFoundException e) {
        return notFound(workflowId);
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
          return notFound(workflowId);
        }
        throw e;
      }
      if (callerName(caller).equals(requester)) {
        return Response.status(Response.Status.FORBIDDEN)
            .entity(
                new Problem(
                    callerName(caller)
                        + " started this onboarding and may not decide its reboot"
                        + " (policy.requesterMayApproveReboot: false); ask another token holder",
                    List.of()))
            .build();
      }
    }
    return call(decision);
  }

  /** Maps "no such onboarding" to 404 and a refused update to 409, with the reason. */
  private static Response call(Supplier<?> action) {
    try {
      return Response.ok(action.get()).build();
    } catch (WorkflowNotFoundException e) {
      return notFound(e.getExecution().getWorkflowId());
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

  private static Response notFound(String workflowId) {
    return Response.status(Response.Status.NOT_FOUND)
        .entity(new Problem("no such onboarding: " + workflowId, List.of()))
        .build();
  }

  private static String rootMessage(Throwable t) {
    return t instanceof io.temporal.failure.ApplicationFailure af
        ? af.getOriginalMessage()
        : t.getMessage();
  }
}
