package dev.onramp.activities.upstream;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.ResourceKind;
import java.sql.SQLException;
import java.util.List;

/**
 * One kind of object onramp manages in the upstream database. Each implementation knows what it
 * wants (from the session's request), inspects what exists, and from that one comparison answers
 * plan, converge and drift; removal works from a ledger entry alone. {@link
 * UpstreamActivitiesImpl#RESOURCES} lists them in the order they converge.
 */
interface UpstreamResource {
  ResourceKind kind();

  /** What {@link #converge} would do; changes nothing. May refuse as converge would. */
  List<PlannedChange> plan(UpstreamSession s) throws SQLException;

  /** Creates or changes only what is missing; one ledger entry per object. */
  List<LedgerEntry> converge(UpstreamSession s) throws SQLException;

  /** How what exists differs from what is wanted; empty when it holds. */
  List<Finding> drift(UpstreamSession s) throws SQLException;

  /** Undoes {@code entry} (one this resource wrote) as far as it is onramp's to undo. */
  Removal remove(UpstreamSession s, LedgerEntry entry) throws SQLException;
}
