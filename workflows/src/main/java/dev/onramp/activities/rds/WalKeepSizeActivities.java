package dev.onramp.activities.rds;

import io.temporal.activity.ActivityInterface;

/**
 * Sets {@code max_slot_wal_keep_size} in the instance's DB parameter group when onramp created that
 * group (asked for with {@code setMaxSlotWalKeepSizeMb}); in any other group it changes nothing and
 * says what to run. Its own interface, so that workers and tests that never set it need nothing
 * new.
 */
@ActivityInterface
public interface WalKeepSizeActivities {

  /** Idempotent: a group that already has the value is left as it is. */
  WalKeepSizeOutcome setMaxSlotWalKeepSize(WalKeepSizeRequest request);
}
