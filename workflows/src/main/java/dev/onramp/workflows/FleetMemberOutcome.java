package dev.onramp.workflows;

/** How one database's onboarding ended: its position in the fleet, its state, one line on it. */
public record FleetMemberOutcome(int index, FleetMemberState state, String detail) {}
