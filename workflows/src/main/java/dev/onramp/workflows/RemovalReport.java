package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.List;
import java.util.Locale;

/**
 * What an offboarding did with each entry, as it goes into the progress and the result; and how a
 * leftover is worded: why (the system that did not answer and its last error) and how to finish.
 */
final class RemovalReport {
  private final OffboardingTracker progress;
  private final OffboardingRequest request;
  private final String target;

  RemovalReport(OffboardingTracker progress, OffboardingRequest request) {
    this.progress = progress;
    this.request = request;
    this.target = OffboardingWorkflows.target(request);
  }

  void record(List<Removal> removals) {
    removals.forEach(this::record);
  }

  void record(Removal r) {
    progress.removed(r, r.settled() ? null : describe(r));
  }

  Removal leftOver(LedgerEntry e, String why, String howToFinish) {
    Removal r = Removal.of(e, RemovalOutcome.LEFT_OVER, why + "; " + howToFinish);
    record(r);
    return r;
  }

  /** How to finish once the system answers again: run the offboarding again. */
  String rerun(String when) {
    return "run `onramp offboard " + target + "` again when " + when;
  }

  String target() {
    return target;
  }

  /** Why a part's call gave up, in a person's terms. */
  String unreachable(OffboardingPart part, ActivityFailure f) {
    Throwable cause = f.getCause();
    String bound = HumanDurations.format(request.waits().unreachableAfter());
    if (cause instanceof TimeoutFailure timeout) {
      Throwable last = timeout.getCause();
      return part.system()
          + " kept failing for "
          + bound
          + (last == null ? "" : " (last error: " + rootMessage(last) + ")");
    }
    if (cause instanceof ApplicationFailure app && !app.isNonRetryable()) {
      return part.system()
          + " kept failing for "
          + bound
          + " (last error: "
          + app.getOriginalMessage()
          + ")";
    }
    return part.system() + " refused: " + rootMessage(cause == null ? f : cause);
  }

  /** A leftover as a line of the report: {@code mz source shop_source: <what to do>}. */
  static String describe(Removal r) {
    return r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + " "
        + r.identifier()
        + ": "
        + r.message();
  }

  static String sqlLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure af) {
      return af.getOriginalMessage();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
