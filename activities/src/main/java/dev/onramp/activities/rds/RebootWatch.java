package dev.onramp.activities.rds;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Objects;

/**
 * What the reboot check has seen so far, carried from one poll to the next in the activity's
 * heartbeat details: each poll is an attempt of the same activity (the workflow retries it every
 * poll interval), and the Java SDK sends the last heartbeat details with a failed attempt ({@code
 * RespondActivityTaskFailed.last_heartbeat_details}), which the next attempt reads back.
 *
 * <p>So DescribeEvents is asked only until the reboot's restart event has been seen, and a read
 * taken after that event counts as the first of the two consecutive reads the decision needs, even
 * when it came from the previous poll. Outside a Temporal activity (tests calling the
 * implementation directly) nothing is carried and each call starts afresh.
 *
 * @param restartSeen DescribeEvents showed the restart at or after the reboot's request time
 * @param lastRead the last DescribeDBInstances answer read after that, or null
 */
public record RebootWatch(boolean restartSeen, InstanceState lastRead) {
  static final RebootWatch NOTHING_SEEN = new RebootWatch(false, null);

  /** The state the previous poll of this check left, or nothing at the first poll. */
  static RebootWatch fromPreviousPoll() {
    ActivityExecutionContext ctx = context();
    if (ctx == null) {
      return NOTHING_SEEN;
    }
    return ctx.getHeartbeatDetails(RebootWatch.class).orElse(NOTHING_SEEN);
  }

  /** Which poll of this check this is: 1 for the first (and outside an activity). */
  static int poll() {
    ActivityExecutionContext ctx = context();
    return ctx == null ? 1 : ctx.getInfo().getAttempt();
  }

  /**
   * Hands this state to the next poll when it differs from what this poll started with. Unchanged
   * state is not heartbeated again: a failed attempt without details leaves the server's last
   * details in place, so the heartbeat call (one request to Temporal) is spent only on a change.
   */
  void handOver(RebootWatch startedWith) {
    if (equals(startedWith)) {
      return;
    }
    ActivityExecutionContext ctx = context();
    if (ctx != null) {
      ctx.heartbeat(this);
    }
  }

  RebootWatch withRestartSeen() {
    return new RebootWatch(true, lastRead);
  }

  RebootWatch withRead(InstanceState read) {
    return new RebootWatch(restartSeen, Objects.requireNonNull(read));
  }

  private static ActivityExecutionContext context() {
    try {
      return Activity.getExecutionContext();
    } catch (IllegalStateException notInAnActivity) {
      return null;
    }
  }
}
