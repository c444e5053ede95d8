package dev.onramp.workflows;

import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.upstream.SnapshotEstimate;
import dev.onramp.activities.upstream.WalSafety;
import java.util.List;

/**
 * What an onboarding of the request would do, found by preflight and read-only inspection of every
 * resource: the changes (create, change or reuse, each with what was seen), whether the instance
 * needs a reboot and why, what would stop or surprise the onboarding, the WAL safety report ({@code
 * max_slot_wal_keep_size} against the storage; null when not read), and how much the initial
 * snapshot will copy (null when it could not be estimated).
 */
public record OnboardingPlan(
    String dbInstanceId,
    String database,
    List<PlannedChange> changes,
    boolean rebootNeeded,
    String rebootWhy,
    List<String> conflicts,
    WalSafety walSafety,
    SnapshotEstimate snapshotEstimate) {
  public OnboardingPlan {
    changes = changes == null ? List.of() : List.copyOf(changes);
    conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
  }

  /** A plan without the snapshot's estimate (as made before it existed). */
  public OnboardingPlan(
      String dbInstanceId,
      String database,
      List<PlannedChange> changes,
      boolean rebootNeeded,
      String rebootWhy,
      List<String> conflicts,
      WalSafety walSafety) {
    this(dbInstanceId, database, changes, rebootNeeded, rebootWhy, conflicts, walSafety, null);
  }

  /** A plan without the WAL safety report (as made before preflight read it). */
  public OnboardingPlan(
      String dbInstanceId,
      String database,
      List<PlannedChange> changes,
      boolean rebootNeeded,
      String rebootWhy,
      List<String> conflicts) {
    this(dbInstanceId, database, changes, rebootNeeded, rebootWhy, conflicts, null, null);
  }
}
