package dev.onramp.workflows;

import java.util.List;

/**
 * A fleet: many onboardings run as one, within {@code limits}. {@code name} makes the fleet's
 * workflow id ({@code fleet/<name>}); each database is a complete onboarding request (the fleet
 * file's {@code defaults} already merged in) and runs as its usual {@code onboard/...} workflow.
 */
public record FleetRequest(
    String name,
    FleetLimits limits,
    List<OnboardingRequest> databases,
    Integer historyEventsPerRun) {
  /**
   * The fleet continues as new once its run's history passes this many events (default 2,000): well
   * below Temporal's 10,240-event warning, so that a fleet of any size keeps a small history.
   */
  public static final int DEFAULT_HISTORY_EVENTS_PER_RUN = 2000;

  public FleetRequest {
    // Not List.copyOf: a null entry must reach the validator, which names it.
    databases =
        databases == null
            ? null
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(databases));
  }

  public FleetRequest(String name, FleetLimits limits, List<OnboardingRequest> databases) {
    this(name, limits, databases, null);
  }

  /**
   * The limits and the history bound with their defaults. The databases stay as given (each member
   * fills its own defaults), so the fleet's input stays small for a thousand of them.
   */
  public FleetRequest withLimitDefaults() {
    return new FleetRequest(
        name,
        (limits == null ? new FleetLimits(null, null, null) : limits).withDefaults(),
        databases,
        historyEventsPerRun == null ? DEFAULT_HISTORY_EVENTS_PER_RUN : historyEventsPerRun);
  }
}
