package dev.onramp.activities.upstream;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Materialize's replication slots in the upstream database. onramp does not create them (a
 * PostgreSQL source creates its slot, named {@code materialize_...}, and drops it with the source),
 * but a slot that outlives its source retains WAL until the disk fills (PostgreSQL manual, "Logical
 * Decoding Concepts: Replication Slots"), so drift watches them and offboarding drops one a removed
 * source left behind.
 */
final class ReplicationSlots {
  /** The attribute of an {@link ResourceKind#MZ_SOURCE} entry that names its slot. */
  static final String SLOT_ATTRIBUTE = "replicationSlot";

  private final long retentionWarningBytes;

  ReplicationSlots(long retentionWarningBytes) {
    this.retentionWarningBytes = retentionWarningBytes;
  }

  /**
   * Inactive slots, slots holding back more WAL than the threshold, invalidated slots ({@code
   * wal_status = 'lost'}), and no slot at all (the source is not replicating).
   */
  List<Finding> drift(Connection c, String database) throws SQLException {
    return drift(c, database, null);
  }

  /**
   * As {@link #drift(Connection, String)}, and with the instance's AllocatedStorage known ({@code
   * storageGib}, null when not), a slot is also weighed against the disk when {@code
   * max_slot_wal_keep_size} would not stop it first: -1, or more than half the storage ({@link
   * WalSafety}).
   */
  List<Finding> drift(Connection c, String database, Integer storageGib) throws SQLException {
    List<Finding> out = new ArrayList<>();
    boolean any = false;
    // max_slot_wal_keep_size (MB, PostgreSQL 13+): a slot retaining more is invalidated at the
    // next checkpoint (wal_status 'lost'); -1 means no limit, and the disk fills instead.
    String keep =
        Sql.single(c, "SELECT setting FROM pg_settings WHERE name = 'max_slot_wal_keep_size'");
    long limitBytes = keep == null ? -1 : Long.parseLong(keep) * 1024 * 1024;
    long warnAt =
        limitBytes > 0 ? Math.min(retentionWarningBytes, limitBytes / 2) : retentionWarningBytes;
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(),"
                    + " restart_lsn)::int8, wal_status FROM pg_replication_slots WHERE slot_name"
                    + " LIKE 'materialize%' AND NOT temporary AND database = current_database()"
                    + " ORDER BY 1");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        any = true;
        String slot = rs.getString(1);
        String drop = dropCommand(slot);
        if (!rs.getBoolean(2)) {
          out.add(
              finding(
                  Severity.WARNING,
                  slot,
                  "replication slot " + slot + " is not active (is the source running?)",
                  "check the source's status in Materialize (mz_internal.mz_source_statuses);"
                      + " if no source uses the slot any more, run "
                      + drop));
        }
        long retained = rs.getLong(3);
        String walStatus = rs.getString(4);
        if ("lost".equals(walStatus)) {
          out.add(
              finding(
                  Severity.CRITICAL,
                  slot,
                  "replication slot " + slot + " has been invalidated; recreate the source",
                  "drop and recreate the source in Materialize (run the onboarding again), then "
                      + drop));
          continue;
        }
        Finding retention =
            retention(slot, retained, walStatus, keep, limitBytes, warnAt, storageGib);
        if (retention != null) {
          out.add(retention);
        }
      }
    }
    if (!any) {
      out.add(
          finding(
              Severity.WARNING,
              database,
              "no Materialize replication slot in database " + database,
              "check that the Materialize source exists and is running"));
    }
    return out;
  }

  /** The one retention finding of a slot (the worse of limit and disk), or null. */
  private Finding retention(
      String slot,
      long retained,
      String walStatus,
      String keep,
      long limitBytes,
      long warnAt,
      Integer storageGib) {
    String drop = dropCommand(slot);
    String mb = (retained / (1024 * 1024)) + " MB";
    String keepUp =
        "make sure the source is running and keeping up (its cluster may be too small);"
            + " if no source uses the slot any more, run "
            + drop;
    String state = " (wal_status " + walStatus + ")";
    long keepMb = limitBytes > 0 ? limitBytes / (1024 * 1024) : -1;
    if (storageGib != null && !WalSafety.limitProtectsDisk(keepMb, storageGib)) {
      long disk = WalSafety.bytes(storageGib);
      Severity severity =
          retained * 100 > disk * WalSafety.CRITICAL_PERCENT
              ? Severity.CRITICAL
              : retained * 100 > disk * WalSafety.WARNING_PERCENT ? Severity.WARNING : null;
      if (severity != null) {
        long recommended = WalSafety.recommendedMb(storageGib);
        return finding(
            severity,
            slot,
            "replication slot "
                + slot
                + " retains "
                + mb
                + " of WAL, "
                + (retained * 100 / disk)
                + "% of the instance's "
                + storageGib
                + " GiB allocated storage, and "
                + (limitBytes > 0
                    ? "max_slot_wal_keep_size " + keep + " MB lets it grow past half the disk"
                    : "max_slot_wal_keep_size is -1 (no limit)")
                + state
                + ": it grows until the disk is full (the instance then goes to storage-full and"
                + " stops accepting writes)",
            keepUp
                + "; to protect the disk set max_slot_wal_keep_size to "
                + recommended
                + " MB ("
                + WalSafety.RECOMMENDED_PERCENT
                + "% of the storage; dynamic, no reboot) in the instance's DB parameter group: "
                + WalSafety.command("<its group>", recommended)
                + " (onramp does it in the group it created with --set-max-slot-wal-keep-size),"
                + " or add storage");
      }
    }
    String limit =
        limitBytes > 0
            ? " of max_slot_wal_keep_size " + keep + " MB"
            : " (max_slot_wal_keep_size is -1: no limit, the disk fills instead)";
    if ("unreserved".equals(walStatus) || (limitBytes > 0 && retained > limitBytes * 8 / 10)) {
      return finding(
          Severity.CRITICAL,
          slot,
          "replication slot "
              + slot
              + " retains "
              + mb
              + " of WAL"
              + limit
              + state
              + ": it is lost at a coming checkpoint",
          keepUp
              + "; to buy time raise max_slot_wal_keep_size in the instance's parameter"
              + " group (dynamic, no reboot)");
    }
    if (retained > warnAt || "extended".equals(walStatus)) {
      return finding(
          Severity.WARNING,
          slot,
          "replication slot " + slot + " retains " + mb + " of WAL" + limit + state,
          keepUp);
    }
    return null;
  }

  private static Finding finding(Severity severity, String id, String problem, String fix) {
    return new Finding(severity, ResourceKind.MZ_SOURCE, id, problem, fix);
  }

  /**
   * Drops the slot a removed source left behind; null when the entry names no slot. An active slot
   * is left (its walsender still runs) and reported with the command to run later.
   */
  Removal remove(Connection c, LedgerEntry source) throws SQLException {
    String slot = source.attribute(SLOT_ATTRIBUTE);
    if (slot == null || slot.isEmpty()) {
      return null;
    }
    String active =
        Sql.single(c, "SELECT active::text FROM pg_replication_slots WHERE slot_name = ?", slot);
    if (active == null) {
      return Removal.of(
          source, RemovalOutcome.ALREADY_GONE, "replication slot " + slot + " no longer exists");
    }
    if (!"true".equals(active)) {
      try {
        Sql.single(c, "SELECT pg_drop_replication_slot(?)::text", slot);
        return Removal.of(
            source, RemovalOutcome.REMOVED, "dropped replication slot " + slot + " it left");
      } catch (SQLException e) {
        if (!"55006".equals(e.getSQLState())) { // object in use: it became active meanwhile
          throw e;
        }
      }
    }
    return Removal.of(
        source,
        RemovalOutcome.LEFT_OVER,
        "replication slot "
            + slot
            + " is still in use (a walsender is attached) and retains WAL until dropped; once"
            + " nothing replicates from it run "
            + dropCommand(slot)
            + " on database "
            + Sql.single(c, "SELECT current_database()"));
  }

  static String dropCommand(String slot) {
    return "SELECT pg_drop_replication_slot(" + Sql.literal(slot) + ");";
  }
}
