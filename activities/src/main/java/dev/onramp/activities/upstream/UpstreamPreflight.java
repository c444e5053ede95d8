package dev.onramp.activities.upstream;

import static dev.onramp.activities.upstream.UpstreamTables.display;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The read-only checks before onboarding changes anything upstream. */
final class UpstreamPreflight {
  private UpstreamPreflight() {}

  /** The seed's check: {@code rds.logical_replication} from pg_settings, and {@code wal_level}. */
  static LogicalReplicationStatus logicalReplication(Connection c) throws SQLException {
    String walLevel = Sql.single(c, "SHOW wal_level");
    // The seed's query. On RDS the row exists; stock PostgreSQL has no such setting, and there
    // wal_level alone decides.
    String rds =
        Sql.single(c, "SELECT setting FROM pg_settings WHERE name = 'rds.logical_replication'");
    if (rds == null) {
      rds = "logical".equals(walLevel) ? "on" : "off";
    } else if (rds.equals("1")) {
      rds = "on";
    } else if (rds.equals("0")) {
      rds = "off";
    }
    return new LogicalReplicationStatus(rds, walLevel);
  }

  /** Logical replication turned off since onboarding (a parameter group change and a reboot). */
  static List<Finding> logicalReplicationDrift(Connection c, UpstreamTarget target)
      throws SQLException {
    LogicalReplicationStatus lr = logicalReplication(c);
    if (lr.enabled()) {
      return List.of();
    }
    return List.of(
        new Finding(
            Severity.CRITICAL,
            ResourceKind.PARAMETER_GROUP_ASSOCIATION,
            target.dbInstanceId(),
            "logical replication is off (rds.logical_replication="
                + lr.rdsLogicalReplication()
                + ", wal_level="
                + lr.walLevel()
                + ")",
            "set rds.logical_replication = 1 in the instance's DB parameter group and reboot it"
                + " (run the onboarding again to do both)"));
  }

  /**
   * The admin is an administrator; every selected table exists and has REPLICA IDENTITY FULL or can
   * be given it by the admin.
   */
  static PreflightReport check(Connection c, UpstreamTarget target, TableSelection tables)
      throws SQLException {
    String version = Sql.single(c, "SHOW server_version");
    String admin = UpstreamTables.currentUser(c);
    if (!UpstreamTables.isAdmin(c, admin)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PERMISSION_DENIED,
          "user "
              + admin
              + " is neither a superuser nor a member of rds_superuser; use the instance's"
              + " master user (or GRANT rds_superuser to it)");
    }
    List<QualifiedName> resolved = UpstreamTables.resolve(c, target, tables);
    List<String> withoutPk = new ArrayList<>();
    for (QualifiedName t : resolved) {
      if (!UpstreamTables.hasPrimaryKey(c, t)) {
        withoutPk.add(display(t));
      }
      if (!ReplicaIdentityResource.FULL.equals(ReplicaIdentityResource.inspect(c, t))
          && !UpstreamTables.canAlter(c, t)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TABLE_NOT_REPLICABLE,
            "table "
                + display(t)
                + " does not have REPLICA IDENTITY FULL and "
                + admin
                + " cannot set it (it is owned by "
                + UpstreamTables.owner(c, t)
                + "); have the owner run ALTER TABLE "
                + t.quoted()
                + " REPLICA IDENTITY FULL, or grant the owner role to the admin user");
      }
    }
    // The WAL a stopped source's slot may hold back (WalSafety); the setting exists from 13 on.
    String walKeepSize =
        Sql.single(c, "SELECT setting FROM pg_settings WHERE name = 'max_slot_wal_keep_size'");
    return new PreflightReport(
        version,
        resolved.stream().map(UpstreamTables::display).toList(),
        withoutPk,
        resolved,
        walKeepSize == null ? PreflightReport.NO_WAL_KEEP_SIZE : walKeepSize);
  }
}
