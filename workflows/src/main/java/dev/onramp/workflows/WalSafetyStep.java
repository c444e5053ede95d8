package dev.onramp.workflows;

import dev.onramp.activities.rds.WalKeepSizeActivities;
import dev.onramp.activities.rds.WalKeepSizeOutcome;
import dev.onramp.activities.rds.WalKeepSizeRequest;
import dev.onramp.activities.upstream.PreflightReport;
import dev.onramp.activities.upstream.WalSafety;
import io.temporal.workflow.Workflow;

/**
 * After the reboot path, when the request asks for it ({@code setMaxSlotWalKeepSizeMb}): sets
 * {@code max_slot_wal_keep_size} in the instance's parameter group if onramp created it, or says
 * what to run. The outcome goes into the parameter group step's message and the result's WAL safety
 * report. Runs without the request field never reach the activity (and the version marker).
 */
final class WalSafetyStep {
  /** The change id of this step (docs/versioning.md). */
  static final String CHANGE = "wal-keep-size";

  private final Preflighted found;
  private final ProgressTracker progress;

  WalSafetyStep(Preflighted found, ProgressTracker progress) {
    this.found = found;
    this.progress = progress;
  }

  WalSafety run() {
    WalSafety safety = found.walSafety();
    OnboardingRequest request = found.request();
    Long asked = request.setMaxSlotWalKeepSizeMb();
    if (asked == null || Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return safety;
    }
    String outcome;
    if (safety == null || PreflightReport.NO_WAL_KEEP_SIZE.equals(safety.maxSlotWalKeepSize())) {
      outcome = "max_slot_wal_keep_size not set: PostgreSQL before 13 has no such parameter";
    } else if (asked == 0 && safety.recommendedMb() <= 0) {
      outcome =
          "max_slot_wal_keep_size not set: the instance's allocated storage is unknown, so onramp"
              + " has no value to recommend; give one in MB";
    } else {
      long mb = asked > 0 ? asked : safety.recommendedMb();
      WalKeepSizeActivities wal =
          Workflow.newActivityStub(
              WalKeepSizeActivities.class,
              OnboardingActivities.call(OnboardingActivities.AWS_CALL_BOUND));
      WalKeepSizeOutcome done =
          wal.setMaxSlotWalKeepSize(
              new WalKeepSizeRequest(request.region(), request.dbInstanceId(), mb));
      outcome = done.message();
    }
    String before = progress.snapshot().step(OnboardingStep.PARAMETER_GROUP).message();
    progress.done(
        OnboardingStep.PARAMETER_GROUP,
        (before == null || before.isEmpty() ? "" : before + "; ") + outcome);
    return safety == null ? null : safety.withApplied(outcome);
  }
}
