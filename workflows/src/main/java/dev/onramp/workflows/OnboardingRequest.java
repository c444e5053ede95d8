package dev.onramp.workflows;

import java.time.Duration;

/**
 * One onboarding: which RDS instance and database, which tables, and how. Holds secret
 * <em>references</em> only. Unset optional fields take the defaults of {@link #withDefaults()}.
 *
 * <p>{@code maxReboots} is the most reboots one run makes; every reboot passes the reboot policy's
 * gate (a new approval, the next maintenance window), except under IMMEDIATE, where the default of
 * 1 means a reboot that did not apply the parameter ends the run with a diagnosis instead of a
 * second reboot no one asked for. Default 2 under APPROVAL and MAINTENANCE_WINDOW (left null by
 * {@link #withDefaults()} so that changing the policy later changes the default too).
 *
 * <p>{@code applyPendingModifications}: onramp's ModifyDBInstance uses ApplyImmediately=true, which
 * applies every pending modification of the instance; when there are any, the run stops at
 * preflight unless this is true. Default false.
 *
 * <p>{@code rebootSlotsFrom}: the workflow id of the fleet ({@link FleetWorkflow}) whose reboot
 * budget this run's reboots count against; the fleet sets it on the onboardings it starts. Each
 * reboot then waits for a slot from that fleet and gives it back once the reboot is done (see
 * {@link RebootSlot}). Null (every request not from a fleet): no budget.
 *
 * <p>{@code setMaxSlotWalKeepSizeMb}: after the reboot path, set {@code max_slot_wal_keep_size} to
 * this many MB (0: the value preflight recommends for the instance's storage, see {@code
 * WalSafety}) in the instance's DB parameter group, if onramp created that group (dynamic,
 * ApplyMethod immediate, no reboot); in any other group onramp only recommends, with the command.
 * Null (the default): onramp only reports.
 */
public record OnboardingRequest(
    String region,
    String dbInstanceId,
    String database,
    TableSelection tables,
    String publication,
    String replicationUser,
    SecretRef adminCredentials,
    String replicationPasswordSecret,
    MaterializeTarget materialize,
    NetworkMode networkMode,
    RebootPolicy rebootPolicy,
    WaitSettings waits,
    Duration reverifyEvery,
    Integer maxReboots,
    Boolean applyPendingModifications,
    String rebootSlotsFrom,
    Long setMaxSlotWalKeepSizeMb,
    NetworkPath network) {

  /** A request without a network path of onramp's making (the form before SSH_BASTION). */
  public OnboardingRequest(
      String region,
      String dbInstanceId,
      String database,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef adminCredentials,
      String replicationPasswordSecret,
      MaterializeTarget materialize,
      NetworkMode networkMode,
      RebootPolicy rebootPolicy,
      WaitSettings waits,
      Duration reverifyEvery,
      Integer maxReboots,
      Boolean applyPendingModifications,
      String rebootSlotsFrom,
      Long setMaxSlotWalKeepSizeMb) {
    this(
        region,
        dbInstanceId,
        database,
        tables,
        publication,
        replicationUser,
        adminCredentials,
        replicationPasswordSecret,
        materialize,
        networkMode,
        rebootPolicy,
        waits,
        reverifyEvery,
        maxReboots,
        applyPendingModifications,
        rebootSlotsFrom,
        setMaxSlotWalKeepSizeMb,
        null);
  }

  /** A request as made before onramp could set max_slot_wal_keep_size (it does not). */
  public OnboardingRequest(
      String region,
      String dbInstanceId,
      String database,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef adminCredentials,
      String replicationPasswordSecret,
      MaterializeTarget materialize,
      NetworkMode networkMode,
      RebootPolicy rebootPolicy,
      WaitSettings waits,
      Duration reverifyEvery,
      Integer maxReboots,
      Boolean applyPendingModifications,
      String rebootSlotsFrom) {
    this(
        region,
        dbInstanceId,
        database,
        tables,
        publication,
        replicationUser,
        adminCredentials,
        replicationPasswordSecret,
        materialize,
        networkMode,
        rebootPolicy,
        waits,
        reverifyEvery,
        maxReboots,
        applyPendingModifications,
        rebootSlotsFrom,
        null);
  }

  /** A request outside any fleet (the form every caller used before fleets). */
  public OnboardingRequest(
      String region,
      String dbInstanceId,
      String database,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef adminCredentials,
      String replicationPasswordSecret,
      MaterializeTarget materialize,
      NetworkMode networkMode,
      RebootPolicy rebootPolicy,
      WaitSettings waits,
      Duration reverifyEvery,
      Integer maxReboots,
      Boolean applyPendingModifications) {
    this(
        region,
        dbInstanceId,
        database,
        tables,
        publication,
        replicationUser,
        adminCredentials,
        replicationPasswordSecret,
        materialize,
        networkMode,
        rebootPolicy,
        waits,
        reverifyEvery,
        maxReboots,
        applyPendingModifications,
        null);
  }

  public static final String DEFAULT_PUBLICATION = "mz_source";
  public static final String DEFAULT_REPLICATION_USER = "materialize";

  /** A request with every default, for the given target. */
  public static OnboardingRequest of(
      String region, String dbInstanceId, String database, TableSelection tables) {
    return new OnboardingRequest(
            region,
            dbInstanceId,
            database,
            tables,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null)
        .withDefaults();
  }

  /** The secret that holds the replication user's password on an instance. */
  public static String defaultReplicationPasswordSecret(
      String region, String dbInstanceId, String replicationUser) {
    return "onramp/" + region + "/" + dbInstanceId + "/" + secretNamePart(replicationUser);
  }

  /** Fills every unset optional field. Call {@link RequestValidator} first for a clear error. */
  public OnboardingRequest withDefaults() {
    String user = replicationUser == null ? DEFAULT_REPLICATION_USER : replicationUser;
    RebootPolicy policy = rebootPolicy == null ? RebootPolicy.APPROVAL : rebootPolicy;
    return new OnboardingRequest(
        region,
        dbInstanceId,
        database,
        tables == null ? TableSelection.allTables() : tables,
        publication == null ? DEFAULT_PUBLICATION : publication,
        user,
        adminCredentials == null ? SecretRef.rdsManaged() : adminCredentials,
        // One secret per instance and user, not per database: every database on the instance
        // shares the replication user, so they must share its password too.
        replicationPasswordSecret == null
            ? defaultReplicationPasswordSecret(region, dbInstanceId, user)
            : replicationPasswordSecret,
        (materialize == null
                ? new MaterializeTarget(null, null, null, null, null, null, null, null, null)
                : materialize)
            .withDefaults(database == null ? "db" : database),
        networkMode == null ? NetworkMode.EGRESS_IPS : networkMode,
        policy,
        (waits == null ? WaitSettings.defaults() : waits).withDefaults(),
        reverifyEvery == null ? Duration.ofHours(1) : reverifyEvery,
        maxReboots, // null: the policy's default, see rebootLimit()
        applyPendingModifications == null ? Boolean.FALSE : applyPendingModifications,
        rebootSlotsFrom,
        setMaxSlotWalKeepSizeMb,
        network);
  }

  /** {@code maxReboots}, or the policy's default: 1 under IMMEDIATE, else 2. */
  public int rebootLimit() {
    if (maxReboots != null) {
      return maxReboots;
    }
    return rebootPolicy == RebootPolicy.IMMEDIATE ? 1 : 2;
  }

  /** {@code applyPendingModifications}, false when unset. */
  public boolean appliesPendingModifications() {
    return Boolean.TRUE.equals(applyPendingModifications);
  }

  /**
   * A name in SQL syntax as part of a Secrets Manager name, which allows only ASCII letters, digits
   * and {@code /_+=.@-} (CreateSecret, "Name"): {@code "Shop Floor"} becomes {@code Shop_Floor}.
   */
  static String secretNamePart(String name) {
    String value;
    try {
      value = SqlIdentifiers.parseIdentifier(name);
    } catch (IllegalArgumentException e) {
      value = String.valueOf(name);
    }
    return value.replaceAll("[^A-Za-z0-9_+=.@-]", "_");
  }

  public OnboardingRequest withTables(TableSelection selection) {
    Builder b = toBuilder();
    b.tables = selection;
    return b.build();
  }

  public OnboardingRequest withRebootPolicy(RebootPolicy policy) {
    Builder b = toBuilder();
    b.rebootPolicy = policy;
    return b.build();
  }

  public OnboardingRequest withWaits(WaitSettings newWaits) {
    Builder b = toBuilder();
    b.waits = newWaits;
    return b.build();
  }

  public OnboardingRequest withNetworkMode(NetworkMode mode) {
    Builder b = toBuilder();
    b.networkMode = mode;
    return b.build();
  }

  public OnboardingRequest withReverifyEvery(Duration every) {
    Builder b = toBuilder();
    b.reverifyEvery = every;
    return b.build();
  }

  public OnboardingRequest withMaterialize(MaterializeTarget target) {
    Builder b = toBuilder();
    b.materialize = target;
    return b.build();
  }

  public OnboardingRequest withMaxReboots(Integer max) {
    Builder b = toBuilder();
    b.maxReboots = max;
    return b.build();
  }

  public OnboardingRequest withApplyPendingModifications(Boolean apply) {
    Builder b = toBuilder();
    b.applyPendingModifications = apply;
    return b.build();
  }

  /** The same request, its reboots counted against the reboot budget of fleet {@code fleetId}. */
  public OnboardingRequest withRebootSlotsFrom(String fleetId) {
    Builder b = toBuilder();
    b.rebootSlotsFrom = fleetId;
    return b.build();
  }

  /**
   * The same request, asking onramp to set {@code max_slot_wal_keep_size} ({@code mb} MB, 0 for the
   * recommended value, null not to).
   */
  public OnboardingRequest withSetMaxSlotWalKeepSizeMb(Long mb) {
    Builder b = toBuilder();
    b.setMaxSlotWalKeepSizeMb = mb;
    return b.build();
  }

  /** The same request, its private network path leading to {@code path}. */
  public OnboardingRequest withNetwork(NetworkPath path) {
    Builder b = toBuilder();
    b.network = path;
    return b.build();
  }

  /** A copy to change field by field: each {@code withX} changes one and keeps the rest. */
  private Builder toBuilder() {
    Builder b = new Builder();
    b.region = region;
    b.dbInstanceId = dbInstanceId;
    b.database = database;
    b.tables = tables;
    b.publication = publication;
    b.replicationUser = replicationUser;
    b.adminCredentials = adminCredentials;
    b.replicationPasswordSecret = replicationPasswordSecret;
    b.materialize = materialize;
    b.networkMode = networkMode;
    b.rebootPolicy = rebootPolicy;
    b.waits = waits;
    b.reverifyEvery = reverifyEvery;
    b.maxReboots = maxReboots;
    b.applyPendingModifications = applyPendingModifications;
    b.rebootSlotsFrom = rebootSlotsFrom;
    b.setMaxSlotWalKeepSizeMb = setMaxSlotWalKeepSizeMb;
    b.network = network;
    return b;
  }

  private static final class Builder {
    private String region;
    private String dbInstanceId;
    private String database;
    private TableSelection tables;
    private String publication;
    private String replicationUser;
    private SecretRef adminCredentials;
    private String replicationPasswordSecret;
    private MaterializeTarget materialize;
    private NetworkMode networkMode;
    private RebootPolicy rebootPolicy;
    private WaitSettings waits;
    private Duration reverifyEvery;
    private Integer maxReboots;
    private Boolean applyPendingModifications;
    private String rebootSlotsFrom;
    private Long setMaxSlotWalKeepSizeMb;
    private NetworkPath network;

    OnboardingRequest build() {
      return new OnboardingRequest(
          region,
          dbInstanceId,
          database,
          tables,
          publication,
          replicationUser,
          adminCredentials,
          replicationPasswordSecret,
          materialize,
          networkMode,
          rebootPolicy,
          waits,
          reverifyEvery,
          maxReboots,
          applyPendingModifications,
          rebootSlotsFrom,
          setMaxSlotWalKeepSizeMb,
          network);
    }
  }
}
