package dev.onramp.worker.resources;

import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OnboardingWorkflows;
import dev.onramp.workflows.TableChangeWorkflows;
import dev.onramp.workflows.client.TableChangeClient;
import dev.onramp.workflows.tables.TableChangeAction;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * {@code onramp tables add|drop} over REST: {@code POST
 * /onboardings/{region}/{instance}/{database}/tables} with {@code {"action": "ADD", "tables":
 * ["returns"]}} starts a table change of an onboarded target; {@code GET} on the same path says
 * where the latest one stands. Authenticated like every other resource.
 */
@Path("/onboardings/{region}/{instance}/{database}/tables")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TableChangeResource {
  private final TableChangeClient tables;

  public TableChangeResource(TableChangeClient tables) {
    this.tables = tables;
  }

  public record Change(TableChangeAction action, List<String> tables) {}

  @POST
  public Response start(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database,
      Change change) {
    if (change == null || change.action() == null) {
      return problem(
          Response.Status.BAD_REQUEST,
          "invalid table change",
          List.of("action: missing (ADD or DROP)"));
    }
    try {
      String id =
          tables.start(
              OnboardingWorkflows.workflowId(region, instance, database),
              change.action(),
              change.tables() == null ? List.of() : change.tables());
      return Response.status(Response.Status.CREATED)
          .entity(new OnboardingResource.Started(id))
          .build();
    } catch (InvalidRequestException e) {
      return problem(Response.Status.BAD_REQUEST, "invalid table change", e.problems());
    } catch (TableChangeClient.NotOnboardedException e) {
      return problem(Response.Status.NOT_FOUND, e.getMessage(), List.of());
    } catch (TableChangeClient.AlreadyRunningException e) {
      return problem(Response.Status.CONFLICT, e.getMessage(), List.of());
    }
  }

  @GET
  public Response progress(
      @PathParam("region") String region,
      @PathParam("instance") String instance,
      @PathParam("database") String database) {
    String id =
        TableChangeWorkflows.workflowId(OnboardingWorkflows.workflowId(region, instance, database));
    try {
      return Response.ok(Map.of("workflowId", id, "progress", tables.progress(id))).build();
    } catch (WorkflowNotFoundException e) {
      return problem(Response.Status.NOT_FOUND, "no table change of this target: " + id, List.of());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return problem(
            Response.Status.NOT_FOUND, "no table change of this target: " + id, List.of());
      }
      throw e;
    }
  }

  private static Response problem(Response.Status status, String error, List<String> problems) {
    return Response.status(status).entity(new OnboardingResource.Problem(error, problems)).build();
  }
}
