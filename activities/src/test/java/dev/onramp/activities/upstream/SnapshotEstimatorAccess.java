package dev.onramp.activities.upstream;

import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.sql.SQLException;

/** Lets tests in other packages run the estimator with another count threshold. */
public final class SnapshotEstimatorAccess {
  private SnapshotEstimatorAccess() {}

  public static SnapshotEstimate estimate(
      Connection c, UpstreamTarget target, TableSelection tables, long countAtMostBytes)
      throws SQLException {
    return SnapshotEstimator.estimate(c, target, tables, countAtMostBytes);
  }
}
