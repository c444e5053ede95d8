package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import dev.onramp.workflows.SqlIdentifiers;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * onramp's mark on the Materialize objects it creates ({@code COMMENT ON ... IS 'managed by
 * onramp'}), and the refusals that keep it from altering anyone else's.
 */
final class MzOwnership {
  private static final Logger log = LoggerFactory.getLogger(MzOwnership.class);

  /** How many times (100 ms apart) an unmarked object is looked at again before it is refused. */
  private static final int MARK_WAIT_CHECKS = 30;

  private MzOwnership() {}

  /** An existing object's id and comment ({@code comment} null: it has none). */
  record Marked(String id, String comment) {
    boolean onramps() {
      return Ownership.isOnrampComment(comment);
    }
  }

  /**
   * Marks an object onramp just created: {@code COMMENT ON} (MZ:doc/user/content/sql/comment-on.md;
   * the creator owns the object, which is what COMMENT ON requires).
   */
  static void mark(Connection c, MzKind kind, String name) throws SQLException {
    Sql.exec(
        c,
        "COMMENT ON "
            + kind.keyword()
            + " "
            + SqlIdentifiers.quote(name)
            + " IS "
            + Sql.literal(Ownership.COMMENT));
  }

  /** The object named {@code name} with its comment, or null when there is none. */
  static Marked existing(Connection c, MzKind kind, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT o.id, cm.comment FROM "
                + kind.relation
                + " o LEFT JOIN mz_internal.mz_comments cm ON cm.id = o.id AND cm.object_type = ?"
                + " WHERE o.name = ?")) {
      ps.setString(1, kind.type);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Marked(rs.getString(1), rs.getString(2)) : null;
      }
    }
  }

  /** A non-retryable refusal when {@code name} exists and is not onramp's. */
  static void refuseForeign(Connection c, MzKind kind, String name, String wouldDo)
      throws SQLException {
    Marked e = existing(c, kind, name);
    if (e != null && !e.onramps()) {
      throw foreign(kind, name, wouldDo);
    }
  }

  /**
   * The create steps' check for secrets, connections and sources. Materialize cannot run CREATE and
   * COMMENT ON in one transaction, so an attempt killed between the two leaves the object without
   * any comment; a retry of the same activity (attempt 2 or later, after preflight found the name
   * free or onramp's) marks it and goes on. On a first attempt, or with someone else's comment, it
   * is refused.
   */
  static void refuseForeignUnlessOurs(Connection c, MzKind kind, String name, String wouldDo)
      throws SQLException {
    Marked e = existing(c, kind, name);
    if (e == null || e.onramps()) {
      return;
    }
    // An overlapping attempt may have created it a moment ago and be about to mark it.
    for (int i = 0; i < MARK_WAIT_CHECKS && e != null && e.comment() == null; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      }
      e = existing(c, kind, name);
    }
    if (e == null || e.onramps()) {
      return;
    }
    if (e.comment() == null && attempt() > 1) {
      mark(c, kind, name);
      log.warn(
          "marked Materialize {} {} as onramp's: an earlier attempt created it and was"
              + " interrupted before COMMENT ON",
          kind.type,
          name);
      return;
    }
    throw foreign(kind, name, wouldDo);
  }

  /** This activity's attempt; 1 when called directly (as in a unit test). */
  private static int attempt() {
    try {
      return Activity.getExecutionContext().getInfo().getAttempt();
    } catch (IllegalStateException notInActivity) {
      return 1;
    }
  }

  static ApplicationFailure foreign(MzKind kind, String name, String wouldDo) {
    String quoted = SqlIdentifiers.quote(name);
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.FOREIGN_OBJECT,
        "Materialize "
            + kind.type
            + " "
            + quoted
            + " already exists and was not created by onramp (it has no '"
            + Ownership.COMMENT
            + "' comment in mz_internal.mz_comments); onramp would have to "
            + wouldDo
            + ". Choose another "
            + kind.type
            + " name in the request, or, if onramp may manage it, run COMMENT ON "
            + kind.keyword()
            + " "
            + quoted
            + " IS '"
            + Ownership.COMMENT
            + "' and start again");
  }
}
