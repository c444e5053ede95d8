package dev.onramp.workflows;

import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * The reboot decision a workflow is waiting for, kept where its update and signal handlers can
 * reach it: {@link RebootGate} opens it and waits, the handlers decide.
 */
public final class RebootApproval {
  private boolean pending;
  private RebootDecision decision;

  /** The gate starts waiting: earlier decisions no longer count. */
  void open() {
    decision = null;
    pending = true;
  }

  void close() {
    pending = false;
  }

  public RebootDecision decision() {
    return decision;
  }

  /** The approveReboot / rejectReboot update (validated by {@link #requirePending} first). */
  public RebootDecision decide(boolean approved, String by, String reason) {
    decision = new RebootDecision(approved, by, reason, now());
    return decision;
  }

  /**
   * The rebootDecision signal, which cannot be refused: ignored (false) when no approval is pending
   * or one was already given.
   */
  public boolean signal(RebootDecision signalled) {
    if (!pending || decision != null || signalled == null) {
      return false;
    }
    String by = signalled.by() == null || signalled.by().isBlank() ? "web-ui" : signalled.by();
    decision = new RebootDecision(signalled.approved(), by, signalled.reason(), now());
    return true;
  }

  /** Whether an approval is pending and undecided (what the update validators require). */
  public boolean awaitingDecision() {
    return pending && decision == null;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
