package dev.onramp.activities.aws;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.ResourceKind;
import java.util.List;

/**
 * One object onramp manages in AWS or Temporal, as a Terraform resource or a Kubernetes controller
 * sees it: what is wanted ({@code W}), what exists now ({@code S}, from {@link #inspect}), and the
 * one diff between them that answers plan, converge and drift alike. Activities are thin facades
 * over these. Their order is {@link ResourceKind}'s (the order an onboarding converges them, which
 * offboarding walks backwards): a new resource is one class here plus one constant there.
 *
 * @param <W> what onramp wants (one request record)
 * @param <S> what exists now
 */
public interface ManagedResource<W, S> {

  ResourceKind kind();

  /** What exists now; reads only. */
  S inspect(W wanted);

  /** What {@link #converge} would do, changing nothing. */
  PlannedChange plan(W wanted);

  /** Creates or changes only what is missing; idempotent (a retry finds what the first made). */
  LedgerEntry converge(W wanted);

  /** What differs from the wanted state now, each with the exact command that fixes it. */
  List<Finding> drift(W wanted);

  /**
   * Undoes what {@code entry} records, only for what onramp created (and still carries onramp's
   * mark); never fails for an object that is gone (ALREADY_GONE) or not onramp's (KEPT_*).
   */
  Removal remove(LedgerEntry entry);
}
