package dev.onramp.activities.upstream;

/**
 * How much WAL a replication slot may hold back against the instance's disk, as preflight reports
 * it and re-verification weighs it (docs/verification.md, "WAL safety").
 *
 * <p>A logical slot keeps every WAL segment from its restart point on while its consumer is away or
 * behind. With {@code max_slot_wal_keep_size = -1} (PostgreSQL's and RDS's default) there is no
 * limit and the disk fills (PostgreSQL manual, "Replication Slots"; on RDS the instance then goes
 * to {@code storage-full} and stops accepting writes); with a limit the slot is invalidated at a
 * checkpoint instead ({@code wal_status = lost}) and the Materialize source must be recreated
 * (Materialize docs, "PostgreSQL failure states"). Losing the slot is recoverable, a full disk
 * stops the application, so onramp recommends a limit: {@value #RECOMMENDED_PERCENT}% of the
 * allocated storage, which leaves the rest for data and for WAL's own needs, and is still hours of
 * changes on a typical instance before the source is lost. The percentage is onramp's judgement (no
 * AWS or PostgreSQL rule gives one); see docs/verification.md.
 *
 * @param maxSlotWalKeepSize the setting in MB as pg_settings shows it ({@code -1}: no limit); null
 *     when the server has no such setting (PostgreSQL before 13)
 * @param allocatedStorageGib AllocatedStorage; null when not known
 * @param recommendedMb the value onramp recommends, {@value #RECOMMENDED_PERCENT}% of the storage
 *     (0 when the storage is not known)
 * @param safe whether the current setting keeps a slot from filling the disk (a limit of at most
 *     half the storage)
 * @param advice one line for a person: what is set, what onramp recommends and why
 * @param applied what onboarding did about it when asked to set the value (null: not asked)
 */
public record WalSafety(
    String maxSlotWalKeepSize,
    Integer allocatedStorageGib,
    long recommendedMb,
    boolean safe,
    String advice,
    String applied) {

  public WalSafety(
      String maxSlotWalKeepSize,
      Integer allocatedStorageGib,
      long recommendedMb,
      boolean safe,
      String advice) {
    this(maxSlotWalKeepSize, allocatedStorageGib, recommendedMb, safe, advice, null);
  }

  public WalSafety withApplied(String what) {
    return new WalSafety(
        maxSlotWalKeepSize, allocatedStorageGib, recommendedMb, safe, advice, what);
  }

  /** The recommended {@code max_slot_wal_keep_size}, as a share of the allocated storage. */
  public static final int RECOMMENDED_PERCENT = 10;

  /** Retained WAL past this share of the storage, with no protective limit, is a warning. */
  public static final int WARNING_PERCENT = 5;

  /** ... and past this share critical: more than the recommended limit would ever let it hold. */
  public static final int CRITICAL_PERCENT = 10;

  /** The RDS parameter (dynamic: ApplyMethod immediate, no reboot). */
  public static final String PARAMETER = "max_slot_wal_keep_size";

  public static long bytes(int gib) {
    return gib * 1024L * 1024 * 1024;
  }

  public static long recommendedMb(int allocatedStorageGib) {
    return allocatedStorageGib * 1024L * RECOMMENDED_PERCENT / 100;
  }

  /**
   * Whether a limit of {@code keepMb} stops a slot before it can fill the disk: set, and at most
   * half the storage (the rest holds the data). Unknown storage: any limit counts.
   */
  public static boolean limitProtectsDisk(long keepMb, Integer allocatedStorageGib) {
    if (keepMb <= 0) {
      return false;
    }
    return allocatedStorageGib == null || keepMb * 2 <= allocatedStorageGib * 1024L;
  }

  /** The AWS CLI command that sets the recommended value in {@code group}. */
  public static String command(String group, long mb) {
    return "aws rds modify-db-parameter-group --db-parameter-group-name "
        + group
        + " --parameters \"ParameterName="
        + PARAMETER
        + ",ParameterValue="
        + mb
        + ",ApplyMethod=immediate\"";
  }

  /**
   * The report for a server setting ({@link PreflightReport#maxSlotWalKeepSize()}) and an
   * instance's storage; null when the setting was not read (histories from before it).
   */
  public static WalSafety of(String maxSlotWalKeepSize, Integer allocatedStorageGib) {
    if (maxSlotWalKeepSize == null) {
      return null;
    }
    long recommended = allocatedStorageGib == null ? 0 : recommendedMb(allocatedStorageGib);
    if (PreflightReport.NO_WAL_KEEP_SIZE.equals(maxSlotWalKeepSize)) {
      return new WalSafety(
          null,
          allocatedStorageGib,
          recommended,
          false,
          PARAMETER
              + " does not exist before PostgreSQL 13: a replication slot may retain WAL until the"
              + " disk is full; watch re-verification's findings");
    }
    long keep = Long.parseLong(maxSlotWalKeepSize);
    boolean safe = limitProtectsDisk(keep, allocatedStorageGib);
    String now =
        keep <= 0
            ? PARAMETER
                + " is -1 (no limit: a slot whose source stops retains WAL until the disk"
                + " is full)"
            : PARAMETER + " is " + keep + " MB";
    if (allocatedStorageGib == null) {
      return new WalSafety(maxSlotWalKeepSize, null, 0, safe, now);
    }
    String storage = " of " + allocatedStorageGib + " GiB allocated storage";
    String advice;
    if (safe) {
      advice = now + storage + ": a stopped source's slot is invalidated before the disk fills";
    } else {
      advice =
          now
              + storage
              + (keep > 0 ? ", more than half the disk" : "")
              + "; recommended "
              + recommended
              + " MB ("
              + RECOMMENDED_PERCENT
              + "% of the storage): the slot is then lost, not the disk filled";
    }
    return new WalSafety(maxSlotWalKeepSize, allocatedStorageGib, recommended, safe, advice);
  }
}
