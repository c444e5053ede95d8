package dev.onramp.activities.ledger;

/**
 * What converging one resource would do, found by inspecting it and changing nothing; {@code why}
 * says what was seen (e.g. {@code replica identity is DEFAULT and the table has no primary key}).
 */
public record PlannedChange(ResourceKind kind, String identifier, PlanAction action, String why) {}
