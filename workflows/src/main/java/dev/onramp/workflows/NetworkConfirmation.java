package dev.onramp.workflows;

import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * The confirmation a run waits for once it has shown where Materialize's SSH keys or PrivateLink
 * principal go; the same mechanism as the reboot approval ({@link RebootApproval}): an update that
 * is refused when nothing is pending (the CLI's {@code onramp confirm-network}) and a signal for
 * the Web UI that is ignored then. Each validation failure asks for a new confirmation.
 */
public final class NetworkConfirmation {
  private boolean pending;
  private NetworkConfirmed confirmed;

  /** Starts waiting: an earlier confirmation no longer counts. */
  void open() {
    confirmed = null;
    pending = true;
  }

  void close() {
    pending = false;
  }

  NetworkConfirmed confirmed() {
    return confirmed;
  }

  /** The confirmNetwork update (validated by {@link #awaitingConfirmation} first). */
  public NetworkConfirmed confirm(String by) {
    confirmed = new NetworkConfirmed(by, now());
    return confirmed;
  }

  /** The networkConfirmed signal: ignored (false) when nothing is pending or already confirmed. */
  public boolean signal(String by) {
    if (!pending || confirmed != null) {
      return false;
    }
    confirmed = new NetworkConfirmed(by == null || by.isBlank() ? "web-ui" : by, now());
    return true;
  }

  public boolean awaitingConfirmation() {
    return pending && confirmed == null;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
