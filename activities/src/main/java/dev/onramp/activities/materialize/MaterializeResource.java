package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.workflows.Ownership;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * One Materialize object onramp manages, as planning, re-verification and offboarding see it. Each
 * resource also has its own {@code converge} (its spec differs per kind); the rest is what the
 * walks over {@link MaterializeResources} need.
 *
 * @param <S> what {@link #inspect} finds
 */
interface MaterializeResource<S> {

  ResourceKind kind();

  /** What exists now of the plan's object (null: nothing, or the plan has none); reads only. */
  S inspect(Connection c, MaterializePlan plan) throws SQLException;

  /**
   * What converging this object for the plan would do, found by inspecting it and changing nothing;
   * empty when the plan has no such object (no cluster named).
   */
  Optional<PlannedChange> plan(Connection c, MaterializePlan plan) throws SQLException;

  /** How the object differs from what the plan made, with the fix for each finding. */
  List<Finding> drift(Connection c, MaterializePlan plan) throws SQLException;

  /**
   * Removes the object an entry of this kind names if onramp owns it (the ownership rule of {@link
   * #ownedOrKept}) and nobody else depends on it; otherwise says why it stays.
   */
  Removal remove(Connection c, LedgerEntry entry) throws SQLException;

  /**
   * The ownership rule of offboarding: gone is {@code ALREADY_GONE}; an object that still carries
   * onramp's mark is onramp's when the ledger says CREATED, or REUSED (a re-run of an onboarding
   * reuses what an earlier run created), or CHANGED (onramp only changes objects it marked);
   * without the mark, a CREATED or CHANGED entry means someone changed it since ({@code
   * KEPT_CHANGED}) and a REUSED one was never onramp's ({@code KEPT_NOT_OURS}). Empty: the object
   * is onramp's to remove.
   */
  static Optional<Removal> ownedOrKept(LedgerEntry entry, MzOwnership.Marked found, MzKind kind) {
    String what = "Materialize " + kind.type + " " + entry.identifier();
    if (found == null) {
      return Optional.of(
          Removal.of(
              entry, RemovalOutcome.ALREADY_GONE, what + " no longer exists; nothing to do"));
    }
    if (found.onramps()) {
      return Optional.empty();
    }
    if (entry.outcome() == Outcome.REUSED) {
      return Optional.of(
          Removal.of(
              entry,
              RemovalOutcome.KEPT_NOT_OURS,
              what + " existed before onramp and is not onramp's; left in place"));
    }
    return Optional.of(
        Removal.of(
            entry,
            RemovalOutcome.KEPT_CHANGED,
            what
                + " no longer carries onramp's '"
                + Ownership.COMMENT
                + "' comment (found "
                + (found.comment() == null ? "none" : "'" + found.comment() + "'")
                + "): someone changed it since onboarding, so it is left in place. Drop it by"
                + " hand if it is no longer needed"));
  }

  /**
   * Runs the DROP; when Materialize refuses because something depends on the object (SQLSTATE
   * 2BP01, e.g. an index or view someone built on it since), the object is kept and reported.
   */
  static Removal drop(Connection c, LedgerEntry entry, String dropSql, String what)
      throws SQLException {
    try {
      Sql.exec(c, dropSql);
    } catch (SQLException e) {
      if (!"2BP01".equals(e.getSQLState())) {
        throw e;
      }
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          what
              + " is still depended upon ("
              + MaterializeClient.describe(e)
              + "); left in place. Once that is gone: "
              + dropSql);
    }
    return Removal.of(entry, RemovalOutcome.REMOVED, "dropped " + what);
  }
}
