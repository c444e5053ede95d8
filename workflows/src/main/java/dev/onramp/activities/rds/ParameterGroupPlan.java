package dev.onramp.activities.rds;

/**
 * How the parameter group gets {@code rds.logical_replication=1}. {@code targetGroup} is the group
 * the instance must end up on; it is derived from the instance so a retry finds what the first
 * attempt made ({@code onramp-<family>-<instance>}).
 */
public record ParameterGroupPlan(
    Action action, String family, String currentGroup, String targetGroup, String reason) {

  public enum Action {
    /** The instance's group already sets the parameter; it may still need a reboot. */
    ALREADY_SET,
    /** The instance uses a default group, which RDS forbids modifying: create a new one. */
    CREATE,
    /** The instance's custom group is shared with other instances: copy it, leave theirs be. */
    COPY,
    /** The custom group is this instance's alone: set the parameter in place. */
    MODIFY_IN_PLACE
  }
}
