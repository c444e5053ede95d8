package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.ResourceKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerUnionTest {

  @Test
  void theEarliestCreatedOrChangedEntryWinsWithItsPrevious() {
    LedgerEntry created = LedgerEntry.created(ResourceKind.PUBLICATION, "mz_source");
    LedgerEntry changed = LedgerEntry.changed(ResourceKind.REPLICA_IDENTITY, "public.t", "d");
    List<LedgerEntry> first = List.of(created, changed);
    // The re-run found both as they were left: REUSED, and the identity's previous is now "f".
    List<LedgerEntry> second =
        List.of(
            LedgerEntry.reused(ResourceKind.PUBLICATION, "mz_source"),
            LedgerEntry.changed(ResourceKind.REPLICA_IDENTITY, "public.t", "f"));

    assertThat(LedgerUnion.of(List.of(first, second))).containsExactly(created, changed);
  }

  @Test
  void aResourceFirstReusedThenCreatedCountsAsCreated() {
    LedgerEntry reused = LedgerEntry.reused(ResourceKind.MZ_CLUSTER, "ingest");
    LedgerEntry created = LedgerEntry.created(ResourceKind.MZ_CLUSTER, "ingest");

    assertThat(LedgerUnion.of(List.of(List.of(reused), List.of(created))))
        .singleElement()
        .extracting(LedgerEntry::outcome)
        .isEqualTo(Outcome.CREATED);
  }

  @Test
  void laterAttributesWinSoARecreatedSourceNamesItsNewSlot() {
    LedgerEntry first =
        LedgerEntry.created(ResourceKind.MZ_SOURCE, "s")
            .withAttributes(Map.of("replicationSlot", "old", "relations", "a"));
    LedgerEntry second =
        LedgerEntry.created(ResourceKind.MZ_SOURCE, "s")
            .withAttributes(Map.of("replicationSlot", "new"));

    LedgerEntry union = LedgerUnion.of(List.of(List.of(first), List.of(second))).get(0);
    assertThat(union.attributes())
        .containsEntry("replicationSlot", "new")
        .containsEntry("relations", "a");
  }

  @Test
  void distinctResourcesAreAllKeptInFirstSeenOrder() {
    LedgerEntry a = LedgerEntry.created(ResourceKind.INGRESS_RULE, "sg-1 tcp/5432 from 1.2.3.4/32");
    LedgerEntry b = LedgerEntry.created(ResourceKind.INGRESS_RULE, "sg-1 tcp/5432 from 5.6.7.8/32");
    assertThat(LedgerUnion.of(List.of(List.of(a), List.of(b), List.of()))).containsExactly(a, b);
  }
}
