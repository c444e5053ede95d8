package dev.onramp.workflows;

/** How the reboot that applies {@code rds.logical_replication} is allowed to happen. */
public enum RebootPolicy {
  /** Reboot as soon as the parameter group is associated. */
  IMMEDIATE,
  /** Wait for a person to approve (CLI, REST or Web UI), until a deadline. */
  APPROVAL,
  /** Wait, with a durable timer, for the instance's next preferred maintenance window. */
  MAINTENANCE_WINDOW
}
