package dev.onramp.workflows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet's reboot slots: at most {@code limits.reboots()} onboardings hold one at a time, and at
 * most {@code limits.rebootsIn(region)} in one region. Requests are served first come, first
 * served, except that a request its region cannot take yet does not hold up one from another
 * region: a free slot is never left idle while some onboarding could use it.
 *
 * <p>Plain state, no Temporal calls: the fleet workflow owns one and carries it across
 * continue-as-new.
 */
public final class RebootBudget {
  private final FleetLimits limits;
  private final Map<String, RebootSlotRequest> waiting = new LinkedHashMap<>();
  private final Map<String, RebootSlotRequest> holding = new LinkedHashMap<>();

  public RebootBudget(FleetLimits limits) {
    this.limits = limits.withDefaults();
  }

  /** A new request; a repeated one (an onboarding that asks again) keeps its place. */
  public void request(RebootSlotRequest r) {
    if (!holding.containsKey(r.onboardingId())) {
      waiting.putIfAbsent(r.onboardingId(), r);
    }
  }

  /** The slot of {@code onboardingId} is free again (or its request withdrawn). */
  public boolean release(String onboardingId) {
    waiting.remove(onboardingId);
    return holding.remove(onboardingId) != null;
  }

  /** The requests that get a slot now, in request order; they count as holders from here on. */
  public List<RebootSlotRequest> grant() {
    List<RebootSlotRequest> granted = new ArrayList<>();
    for (RebootSlotRequest r : List.copyOf(waiting.values())) {
      if (holding.size() >= limits.reboots()) {
        break;
      }
      if (holdersIn(r.region()) < limits.rebootsIn(r.region())) {
        waiting.remove(r.onboardingId());
        holding.put(r.onboardingId(), r);
        granted.add(r);
      }
    }
    return granted;
  }

  public boolean isWaiting(String onboardingId) {
    return waiting.containsKey(onboardingId);
  }

  public boolean isHolding(String onboardingId) {
    return holding.containsKey(onboardingId);
  }

  /** The instances that hold a slot now. */
  public List<String> holders() {
    return holding.values().stream().map(r -> r.region() + "/" + r.dbInstanceId()).toList();
  }

  /** The state to carry across continue-as-new: holders first, then the queue in order. */
  public List<RebootSlotRequest> snapshot(boolean holders) {
    return List.copyOf((holders ? holding : waiting).values());
  }

  /** Restores a snapshot taken by {@link #snapshot} in the run before continue-as-new. */
  public void restore(List<RebootSlotRequest> holders, List<RebootSlotRequest> queue) {
    holders.forEach(r -> holding.put(r.onboardingId(), r));
    queue.forEach(r -> waiting.put(r.onboardingId(), r));
  }

  private long holdersIn(String region) {
    return holding.values().stream().filter(r -> r.region().equals(region)).count();
  }
}
