package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget's bookkeeping of hand-overs: plain state, no Temporal. */
class RebootBudgetTest {
  static RebootSlotRequest ask(String id, String region) {
    return new RebootSlotRequest(id, region, id, true);
  }

  static List<String> ids(List<RebootSlotRequest> requests) {
    return requests.stream().map(RebootSlotRequest::onboardingId).toList();
  }

  @Test
  void aHolderGetsTheNextInLineAndTheSlotChangesHandsOneForOne() {
    RebootBudget budget = new RebootBudget(new FleetLimits(10, 2, null));
    List.of("a", "b", "c", "d", "e").forEach(id -> budget.request(ask(id, "r")));

    assertThat(ids(budget.grant())).containsExactly("a", "b");
    List<RebootSlotSuccessor> named = budget.assignSuccessors();
    assertThat(named)
        .extracting(s -> s.holderId() + ">" + s.next().onboardingId())
        .containsExactly("a>c", "b>d");
    assertThat(named.get(0).holderToken()).isEqualTo(budget.token("a"));
    // Named successors are out of the queue: nothing more to grant, nobody named twice.
    assertThat(budget.grant()).isEmpty();
    assertThat(budget.assignSuccessors()).isEmpty();
    budget.request(ask("c", "r")); // asking again keeps the reservation
    assertThat(budget.isWaiting("c")).isFalse();

    assertThat(budget.handedOver("a", "c")).isTrue();
    assertThat(budget.holders()).containsExactly("r/b", "r/c");
    assertThat(budget.token("c")).isEqualTo(named.get(0).nextToken());
    assertThat(budget.assignSuccessors())
        .extracting(s -> s.holderId() + ">" + s.next().onboardingId())
        .containsExactly("c>e");
  }

  @Test
  void aHolderThatGivesTheSlotBackPutsItsSuccessorFirstInLine() {
    RebootBudget budget = new RebootBudget(new FleetLimits(10, 1, null));
    List.of("a", "b", "c").forEach(id -> budget.request(ask(id, "r")));
    budget.grant();
    budget.assignSuccessors(); // a > b

    assertThat(budget.release("a")).isTrue();
    assertThat(ids(budget.grant())).containsExactly("b");
  }

  @Test
  void aSuccessorThatEndedIsNotRecordedAsHolder() {
    RebootBudget budget = new RebootBudget(new FleetLimits(10, 1, null));
    List.of("a", "b", "c").forEach(id -> budget.request(ask(id, "r")));
    budget.grant();
    budget.assignSuccessors(); // a > b
    budget.release("b"); // b's onboarding ended while waiting
    assertThat(budget.handedOver("a", "b")).isFalse();
    assertThat(budget.holders()).isEmpty();
    assertThat(ids(budget.grant())).containsExactly("c");
  }

  @Test
  void aSuccessorFromAnotherRegionCountsAgainstItsRegionFromWhenItIsNamed() {
    RebootBudget budget = new RebootBudget(new FleetLimits(10, 3, Map.of("east", 1)));
    budget.request(ask("w1", "west"));
    budget.request(ask("e1", "east"));
    budget.request(ask("e2", "east"));
    assertThat(ids(budget.grant())).containsExactly("w1", "e1");
    // e2 may follow e1 (same region), not w1: east would then have two.
    assertThat(budget.assignSuccessors())
        .extracting(s -> s.holderId() + ">" + s.next().onboardingId())
        .containsExactly("e1>e2");
    budget.request(ask("e3", "east"));
    budget.request(ask("w2", "west"));
    assertThat(ids(budget.grant())).containsExactly("w2");
  }

  @Test
  void holdersWithoutHandOverGetNoSuccessor() {
    RebootBudget budget = new RebootBudget(new FleetLimits(10, 1, null));
    budget.request(new RebootSlotRequest("old", "r", "old", false));
    budget.request(ask("b", "r"));
    budget.grant();
    assertThat(budget.assignSuccessors()).isEmpty();
    assertThat(budget.release("old")).isTrue();
    assertThat(ids(budget.grant())).containsExactly("b");
  }
}
