package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Right-sizing: a cluster's utilization, the size onramp would pick, and the resize. */
final class ClusterSizing {
  private static final Logger log = LoggerFactory.getLogger(ClusterSizing.class);

  /** Utilization above this asks for the next size up, below the lower bound the next down. */
  static final double SIZE_UP_PERCENT = 80.0;

  static final double SIZE_DOWN_PERCENT = 25.0;

  private final MaterializeClient client;

  ClusterSizing(MaterializeClient client) {
    this.client = client;
  }

  ClusterUtilization utilization(String cluster) {
    try (Connection c = client.connect()) {
      String size = sizeOf(c, cluster);
      double cpu = 0;
      double memory = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT coalesce(max(u.cpu_percent), 0)::float8, coalesce(max(u.memory_percent),"
                  + " 0)::float8 FROM mz_catalog.mz_clusters cl JOIN"
                  + " mz_catalog.mz_cluster_replicas r ON r.cluster_id = cl.id JOIN"
                  + " mz_internal.mz_cluster_replica_utilization u ON u.replica_id = r.id WHERE"
                  + " cl.name = ?")) {
        ps.setString(1, cluster);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            cpu = rs.getDouble(1);
            memory = rs.getDouble(2);
          }
        }
      }
      List<String> sizes =
          Sql.column(
              c,
              "SELECT size FROM mz_catalog.mz_cluster_replica_sizes ORDER BY credits_per_hour,"
                  + " size");
      return new ClusterUtilization(
          cluster, size, cpu, memory, suggestSize(size, sizes, Math.max(cpu, memory)));
    } catch (SQLException e) {
      throw MaterializeClient.failure("reading the utilization of cluster " + cluster, e);
    }
  }

  /** ALTER CLUSTER ... SET (SIZE = ...), only on onramp's cluster; no-op at that size. */
  void resize(String cluster, String size) {
    try (Connection c = client.connect()) {
      String current = sizeOf(c, cluster);
      if (current.equals(size)) {
        return;
      }
      MzOwnership.refuseForeign(c, MzKind.CLUSTER, cluster, "resize it");
      Sql.exec(
          c,
          "ALTER CLUSTER "
              + SqlIdentifiers.quote(cluster)
              + " SET (SIZE = "
              + Sql.literal(size)
              + ")");
      log.info("resized Materialize cluster {} from {} to {}", cluster, current, size);
    } catch (SQLException e) {
      throw MaterializeClient.failure("resizing cluster " + cluster + " to " + size, e);
    }
  }

  /**
   * The shrink after a snapshot on a larger size: reads the utilization (the last reading at the
   * snapshot size, for the report), then the source's {@code snapshot_committed}, and only when
   * that is true resizes. Checked here, next to the ALTER, and not only by the workflow's order of
   * steps: shrinking a cluster mid-snapshot restarts its replicas and the snapshot with them
   * (Materialize re-hydrates a source on new replicas), the opposite of what the size was for.
   */
  ClusterUtilization shrinkAfterSnapshot(ClusterShrink shrink) {
    ClusterUtilization before = utilization(shrink.cluster());
    try (Connection c = client.connect()) {
      SourceObservation o = SourceObservation.read(c, shrink.source());
      if (!o.status().snapshotCommitted()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.SNAPSHOT_NOT_COMMITTED,
            "not shrinking cluster "
                + shrink.cluster()
                + " to "
                + shrink.size()
                + ": the snapshot of source "
                + shrink.source()
                + " is not committed yet (status "
                + o.status().status()
                + ", "
                + o.status().snapshotRecordsStaged()
                + " of "
                + o.status().snapshotRecordsKnown()
                + " records staged); resize it once the snapshot is committed");
      }
    } catch (SQLException e) {
      throw MaterializeClient.failure("reading the snapshot of source " + shrink.source(), e);
    }
    resize(shrink.cluster(), shrink.size());
    return before;
  }

  private static String sizeOf(Connection c, String cluster) throws SQLException {
    String size = Sql.single(c, "SELECT size FROM mz_catalog.mz_clusters WHERE name = ?", cluster);
    if (size == null) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, "Materialize has no cluster named " + cluster);
    }
    return size;
  }

  /**
   * The next size up when the busiest resource passes {@link #SIZE_UP_PERCENT}, the next size down
   * below {@link #SIZE_DOWN_PERCENT}, staying within the current size's family (cc sizes or the
   * legacy names); {@code sizes} is ordered by credits per hour.
   */
  static String suggestSize(String current, List<String> sizes, double peakPercent) {
    boolean cc = isCcSize(current);
    List<String> family = sizes.stream().filter(s -> isCcSize(s) == cc).toList();
    int i = family.indexOf(current);
    if (i < 0) {
      return current;
    }
    if (peakPercent > SIZE_UP_PERCENT && i + 1 < family.size()) {
      return family.get(i + 1);
    }
    if (peakPercent < SIZE_DOWN_PERCENT && i > 0) {
      return family.get(i - 1);
    }
    return current;
  }

  private static boolean isCcSize(String size) {
    return size.matches("\\d+cc|\\d+C");
  }
}
