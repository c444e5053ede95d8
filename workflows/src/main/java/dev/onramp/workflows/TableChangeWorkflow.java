package dev.onramp.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Adds tables to, or drops them from, an onboarded database's replication without recreating the
 * source. One at a time per target (id {@code tables/<region>/<instance>/<database>}, see {@link
 * TableChangeWorkflows}).
 */
@WorkflowInterface
public interface TableChangeWorkflow {

  @WorkflowMethod
  TableChangeResult change(TableChangeRequest request);

  /** The step it is at, as a person reads it. */
  @QueryMethod
  String progress();
}
