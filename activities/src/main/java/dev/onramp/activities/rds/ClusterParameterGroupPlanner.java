package dev.onramp.activities.rds;

import dev.onramp.workflows.Ownership;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterParameterGroup;

/**
 * The {@link ParameterGroupPlan} of an Aurora PostgreSQL writer: {@code rds.logical_replication} is
 * a parameter of the DB <em>cluster</em> parameter group (shared/reference/aws-rds.md, Aurora), so
 * the plan is about the cluster's group, with the same rules as for instances: a default group is
 * never modified (a new one is created), a group shared with other clusters or not onramp's is
 * copied, onramp's own group used by this cluster only is changed in place. The plan's {@code
 * family} ({@code aurora-postgresql<N>}) is what marks it as a cluster plan.
 */
final class ClusterParameterGroupPlanner {
  private static final String PARAMETER = ParameterGroups.PARAMETER;

  private final ClusterParameterGroups groups;
  private final DbClusters clusters;

  ClusterParameterGroupPlanner(RdsClient rds, String region) {
    this.groups = new ClusterParameterGroups(rds, region);
    this.clusters = new DbClusters(rds, region);
  }

  /** Whether a plan is about a DB cluster parameter group (only Aurora families have those). */
  static boolean isClusterPlan(ParameterGroupPlan plan) {
    return plan.family() != null && plan.family().startsWith("aurora-");
  }

  /** The group onramp owns for a cluster; derived, so a retry finds what the first made. */
  static String targetGroupName(String family, String clusterId) {
    return ("onramp-" + family + "-" + clusterId).toLowerCase();
  }

  ParameterGroupPlan decide(DbInstanceInfo writer) {
    String clusterId = writer.cluster().dbClusterId();
    String current = writer.cluster().parameterGroup();
    DBClusterParameterGroup group = groups.group(current);
    String family = group.dbParameterGroupFamily();
    String target = targetGroupName(family, clusterId);
    if ("1".equals(groups.parameterValue(current).orElse(null))) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.ALREADY_SET,
          family,
          current,
          current,
          "cluster parameter group " + current + " already sets " + PARAMETER + "=1");
    }
    if (current.startsWith("default.")) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.CREATE,
          family,
          current,
          target,
          "cluster "
              + clusterId
              + " uses the default cluster parameter group "
              + current
              + ", which RDS does not let anyone modify; creating "
              + target);
    }
    List<String> sharing = clusters.using(current, clusterId);
    if (!sharing.isEmpty()) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.COPY,
          family,
          current,
          target,
          "cluster parameter group "
              + current
              + " is also used by cluster(s) "
              + String.join(", ", sharing)
              + "; copying it to "
              + target);
    }
    if (!groups.isOnramps(group)) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.COPY,
          family,
          current,
          target,
          "cluster parameter group "
              + current
              + " was not created by onramp (no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); copying it to "
              + target
              + " and leaving it unchanged");
    }
    return new ParameterGroupPlan(
        ParameterGroupPlan.Action.MODIFY_IN_PLACE,
        family,
        current,
        current,
        "cluster parameter group "
            + current
            + " is onramp's and used by cluster "
            + clusterId
            + " only; setting "
            + PARAMETER
            + "=1 in it");
  }
}
