package dev.onramp.activities.notify;

import dev.onramp.activities.ledger.Finding;
import java.util.List;
import java.util.Optional;

/** Where the notifier learns what the target's previous verification run found. */
@FunctionalInterface
public interface PreviousFindings {

  /**
   * The findings of the newest closed run of {@code target} ({@code region/instance/database})
   * other than {@code currentRunId} (null: any); empty when there is none with a report.
   */
  Optional<List<Finding>> findings(String target, String currentRunId);
}
