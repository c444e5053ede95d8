package dev.onramp.workflows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet's reboot slots: at most {@code limits.reboots()} onboardings hold one at a time, and at
 * most {@code limits.rebootsIn(region)} in one region. Requests are served first come, first
 * served, except that a request its region cannot take yet does not hold up one from another
 * region: a free slot is never left idle while some onboarding could use it.
 *
 * <p>A holder that can hand its slot over ({@link RebootSlotRequest#handsOver()}) gets a successor
 * from the queue ({@link #assignSuccessors}): the slot then changes hands between the two
 * onboardings directly, and the fleet only records it ({@link #handedOver}). A successor counts
 * against its region's limit from the moment it is named, so the limits hold while the hand-over is
 * in flight; globally a hand-over is one for one.
 *
 * <p>Plain state, no Temporal calls: the fleet workflow owns one and carries it across
 * continue-as-new.
 */
public final class RebootBudget {
  private final FleetLimits limits;
  private final Map<String, RebootSlotRequest> waiting = new LinkedHashMap<>();
  private final Map<String, RebootSlotRequest> holding = new LinkedHashMap<>();

  /** By holder: the successor named for its slot. */
  private final Map<String, RebootSlotSuccessor> successors = new LinkedHashMap<>();

  /** By holder: the token of its grant (absent for grants from before tokens). */
  private final Map<String, Integer> tokens = new HashMap<>();

  private int lastToken;

  public RebootBudget(FleetLimits limits) {
    this.limits = limits.withDefaults();
  }

  /** A new request; a repeated one (an onboarding that asks again) keeps its place. */
  public void request(RebootSlotRequest r) {
    if (!holding.containsKey(r.onboardingId()) && !isSuccessor(r.onboardingId())) {
      waiting.putIfAbsent(r.onboardingId(), r);
    }
  }

  /**
   * The slot of {@code onboardingId} is free again (or its request withdrawn, or it ended). The
   * successor named for it, if any, goes back to the head of the queue; if it was itself someone's
   * successor, that holder's slot has nobody named any more.
   */
  public boolean release(String onboardingId) {
    waiting.remove(onboardingId);
    tokens.remove(onboardingId);
    RebootSlotSuccessor named = successors.remove(onboardingId);
    if (named != null) {
      requeueFirst(named.next());
    }
    successors.values().removeIf(s -> s.next().onboardingId().equals(onboardingId));
    return holding.remove(onboardingId) != null;
  }

  /**
   * {@code from} handed its slot to {@code to}: {@code to} holds it now, if it was the successor
   * named for it; otherwise (it ended meanwhile) the slot is simply free.
   */
  public boolean handedOver(String from, String to) {
    RebootSlotSuccessor named = successors.remove(from);
    holding.remove(from);
    tokens.remove(from);
    waiting.remove(from);
    if (named == null) {
      return false;
    }
    if (!named.next().onboardingId().equals(to)) {
      requeueFirst(named.next());
      return false;
    }
    holding.put(to, named.next());
    tokens.put(to, named.nextToken());
    return true;
  }

  /** The requests that get a slot now, in request order; they count as holders from here on. */
  public List<RebootSlotRequest> grant() {
    List<RebootSlotRequest> granted = new ArrayList<>();
    for (RebootSlotRequest r : List.copyOf(waiting.values())) {
      if (holding.size() >= limits.reboots()) {
        break;
      }
      if (committedIn(r.region()) < limits.rebootsIn(r.region())) {
        waiting.remove(r.onboardingId());
        holding.put(r.onboardingId(), r);
        tokens.put(r.onboardingId(), ++lastToken);
        granted.add(r);
      }
    }
    return granted;
  }

  /** The token of the grant {@code onboardingId} holds (0 when none is known). */
  public int token(String onboardingId) {
    return tokens.getOrDefault(onboardingId, 0);
  }

  /**
   * Names a successor, in queue order, for each holder that can hand over and has none yet; a
   * successor from another region only while that region's limit has room for it.
   */
  public List<RebootSlotSuccessor> assignSuccessors() {
    List<RebootSlotSuccessor> named = new ArrayList<>();
    for (RebootSlotRequest holder : List.copyOf(holding.values())) {
      if (waiting.isEmpty()) {
        break;
      }
      String id = holder.onboardingId();
      if (!holder.handsOver() || successors.containsKey(id) || !tokens.containsKey(id)) {
        continue;
      }
      for (RebootSlotRequest next : List.copyOf(waiting.values())) {
        if (next.region().equals(holder.region())
            || committedIn(next.region()) < limits.rebootsIn(next.region())) {
          waiting.remove(next.onboardingId());
          RebootSlotSuccessor s = new RebootSlotSuccessor(id, tokens.get(id), next, ++lastToken);
          successors.put(id, s);
          named.add(s);
          break;
        }
      }
    }
    return named;
  }

  public boolean isWaiting(String onboardingId) {
    return waiting.containsKey(onboardingId);
  }

  public boolean isHolding(String onboardingId) {
    return holding.containsKey(onboardingId);
  }

  private boolean isSuccessor(String onboardingId) {
    return successors.values().stream().anyMatch(s -> s.next().onboardingId().equals(onboardingId));
  }

  /** The instances that hold a slot now. */
  public List<String> holders() {
    return holding.values().stream().map(r -> r.region() + "/" + r.dbInstanceId()).toList();
  }

  /** The state to carry across continue-as-new: holders first, then the queue in order. */
  public List<RebootSlotRequest> snapshot(boolean holders) {
    return List.copyOf((holders ? holding : waiting).values());
  }

  public List<RebootSlotSuccessor> successorsSnapshot() {
    return List.copyOf(successors.values());
  }

  public Map<String, Integer> tokensSnapshot() {
    return Map.copyOf(tokens);
  }

  public int lastToken() {
    return lastToken;
  }

  /** Restores a snapshot taken by {@link #snapshot} in the run before continue-as-new. */
  public void restore(List<RebootSlotRequest> holders, List<RebootSlotRequest> queue) {
    holders.forEach(r -> holding.put(r.onboardingId(), r));
    queue.forEach(r -> waiting.put(r.onboardingId(), r));
  }

  /** Restores the successors and tokens ({@code fleet-slot-handoff}). */
  public void restoreHandovers(
      List<RebootSlotSuccessor> named, Map<String, Integer> grantTokens, int last) {
    named.forEach(s -> successors.put(s.holderId(), s));
    tokens.putAll(grantTokens);
    lastToken = last;
  }

  private void requeueFirst(RebootSlotRequest r) {
    Map<String, RebootSlotRequest> rest = new LinkedHashMap<>(waiting);
    waiting.clear();
    waiting.put(r.onboardingId(), r);
    rest.forEach(waiting::putIfAbsent);
  }

  /** Holders in the region, and successors named into it from another region's slot. */
  private long committedIn(String region) {
    long incoming =
        successors.values().stream()
            .filter(s -> s.next().region().equals(region))
            .filter(s -> holding.containsKey(s.holderId()))
            .filter(s -> !holding.get(s.holderId()).region().equals(region))
            .count();
    return holding.values().stream().filter(r -> r.region().equals(region)).count() + incoming;
  }
}
