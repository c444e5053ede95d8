package dev.onramp.activities.verification;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.OnboardingRequest;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;

/** Step 11: the Temporal Schedule that re-verifies an onboarded database. */
@ActivityInterface
public interface ReverificationActivities {

  /** Creates (or updates) the schedule that re-verifies {@code request} every {@code every}. */
  String ensureSchedule(OnboardingRequest request, Duration every);

  /**
   * Deletes the schedule of an earlier onboarding of the same database, for a run that turns
   * re-verification off. Returns whether there was one.
   */
  boolean deleteSchedule(OnboardingRequest request);

  // ---- the resource model (issue 13): one record per call, typed outcomes ----

  LedgerEntry convergeSchedule(ScheduleRequest request);

  /** What {@link #convergeSchedule} would do (create, change the interval, or reuse). */
  PlannedChange planSchedule(ScheduleRequest request);

  Removal removeSchedule(ScheduleRemoval removal);

  /**
   * Applies a table change to the tables the existing schedule's runs check (cumulative: to the
   * request the schedule holds now), keeping its interval and pause; false when there is no
   * schedule of onramp's for the target.
   */
  boolean retargetSchedule(ScheduleTablesChange change);
}
