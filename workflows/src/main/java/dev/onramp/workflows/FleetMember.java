package dev.onramp.workflows;

/**
 * One row of a fleet's summary: the database, its onboarding's workflow id (for {@code onramp
 * watch/approve/show}), its state and a line on it (the failure, or what it created).
 */
public record FleetMember(
    String workflowId,
    String region,
    String dbInstanceId,
    String database,
    FleetMemberState state,
    String detail) {

  FleetMember with(FleetMemberState newState, String newDetail) {
    return new FleetMember(workflowId, region, dbInstanceId, database, newState, newDetail);
  }
}
