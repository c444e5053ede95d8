package dev.onramp.activities.rds;

import dev.onramp.workflows.Ownership;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;

/**
 * What the parameter group resource wants for an instance: the {@link ParameterGroupPlan}, from the
 * instance's group as it is now (shared/reference/aws-rds.md: default groups cannot be modified;
 * onramp changes only groups it created).
 */
final class ParameterGroupPlanner {
  private static final String PARAMETER = ParameterGroups.PARAMETER;

  private final ParameterGroups groups;
  private final DbInstances instances;

  ParameterGroupPlanner(RdsClient rds, String region) {
    this.groups = new ParameterGroups(rds, region);
    this.instances = new DbInstances(rds, region);
  }

  /** The group onramp owns for an instance; derived, so a retry finds what the first made. */
  static String targetGroupName(String family, String dbInstanceId) {
    return ("onramp-" + family + "-" + dbInstanceId).toLowerCase();
  }

  /**
   * Decides how {@code rds.logical_replication=1} gets into the instance's group: already set, a
   * new group for a {@code default.*} one, a copy of a shared or foreign custom group, or a change
   * in place of onramp's own group used by this instance only.
   */
  ParameterGroupPlan decide(DbInstanceInfo i) {
    String current = i.parameterGroup();
    DBParameterGroup group = groups.group(current);
    String family = group.dbParameterGroupFamily();
    String target = targetGroupName(family, i.dbInstanceId());
    if ("1".equals(groups.parameterValue(current).orElse(null))) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.ALREADY_SET,
          family,
          current,
          current,
          current + " already sets " + PARAMETER + "=1");
    }
    if (current.startsWith("default.")) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.CREATE,
          family,
          current,
          target,
          current
              + " is a default group, which RDS does not let anyone modify; creating "
              + target);
    }
    List<String> sharing = instances.using(current, i.dbInstanceId());
    if (!sharing.isEmpty()) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.COPY,
          family,
          current,
          target,
          current + " is also used by " + String.join(", ", sharing) + "; copying it to " + target);
    }
    // onramp never alters what it did not create: a custom group someone else made (even one used
    // by this instance only) keeps its settings, and the instance moves to onramp's copy. onramp
    // names its groups onramp-*, so only those need their tags read (which keeps the IAM policy's
    // ListTagsForResource to pg:onramp-*).
    if (!groups.isOnramps(group)) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.COPY,
          family,
          current,
          target,
          current
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
        current
            + " is onramp's and used by "
            + i.dbInstanceId()
            + " only; setting "
            + PARAMETER
            + "=1 in it");
  }
}
