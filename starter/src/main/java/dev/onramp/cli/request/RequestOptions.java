package dev.onramp.cli.request;

import dev.onramp.cli.CliException;
import dev.onramp.cli.Durations;
import dev.onramp.cli.ExitCodes;
import dev.onramp.workflows.MaterializeTarget;
import dev.onramp.workflows.NetworkMode;
import dev.onramp.workflows.NetworkPath;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.RequestValidator;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.WaitSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The request of an onboarding as flags and a request file ({@code -f}; flags win), shared by
 * {@code onramp start} and {@code onramp plan} so that both read a request alike.
 */
public class RequestOptions {
  @Option(
      names = {"-f", "--file"},
      description = "Request file (YAML or JSON).")
  Path file;

  @Option(
      names = "--region",
      description = "AWS region of the instance (env AWS_REGION).",
      defaultValue = "${env:AWS_REGION}")
  String region;

  @Option(
      names = {"--instance", "--db-instance-id"},
      description = "RDS DB instance identifier.")
  String instance;

  @Option(names = "--database", description = "Database to replicate.")
  String database;

  @ArgGroup(exclusive = true)
  Tables tables;

  static class Tables {
    @Option(names = "--tables", split = ",", description = "Tables: t, schema.t or \"Quoted\".")
    List<String> tables;

    @Option(names = "--schemas", split = ",", description = "Every table of these schemas.")
    List<String> schemas;

    @Option(names = "--all-tables", description = "Every table (FOR ALL TABLES; the default).")
    boolean all;
  }

  @Option(names = "--publication", description = "Publication name (default mz_source).")
  String publication;

  @Option(names = "--replication-user", description = "Replication user (default materialize).")
  String replicationUser;

  @Option(
      names = "--admin-credentials",
      description =
          "Admin credentials: RDS_MANAGED (default), SECRETS_MANAGER:<arn or name>,"
              + " WORKER_CONFIG:<name>.")
  String adminCredentials;

  @Option(
      names = "--replication-secret",
      description = "Secrets Manager name for the replication password.")
  String replicationSecret;

  @Option(
      names = "--reboot-policy",
      description = "IMMEDIATE, APPROVAL (default) or MAINTENANCE_WINDOW.")
  String rebootPolicy;

  @Option(
      names = "--max-reboots",
      paramLabel = "N",
      description =
          "Most reboots this run makes, each through the reboot policy's gate (1-3; default 1"
              + " under IMMEDIATE, 2 under APPROVAL and MAINTENANCE_WINDOW).")
  Integer maxReboots;

  @Option(
      names = "--apply-pending-modifications",
      description =
          "Apply the instance's pending modifications (e.g. a queued instance-class change) along"
              + " with the parameter group; without it a run stops at preflight when there are"
              + " any.")
  Boolean applyPendingModifications;

  @Option(
      names = "--set-max-slot-wal-keep-size",
      arity = "0..1",
      fallbackValue = "0",
      paramLabel = "MB",
      description =
          "Set max_slot_wal_keep_size (dynamic, no reboot) in the instance's DB parameter group if"
              + " onramp created it: to MB, or without a value to the recommended 10% of the"
              + " allocated storage. In a group onramp did not create it only recommends, with the"
              + " command. Without it preflight only reports the setting.")
  Long setMaxSlotWalKeepSizeMb;

  @Option(
      names = "--network-mode",
      description =
          "EGRESS_IPS (default), SSH_BASTION or PRIVATELINK_SERVICE (onramp makes the"
              + " connection), SSH_TUNNEL or PRIVATELINK (an existing connection), or NONE.")
  String networkMode;

  @Option(names = "--ssh-host", description = "SSH_BASTION: the bastion's host name or IP.")
  String sshHost;

  @Option(names = "--ssh-port", description = "SSH_BASTION: the bastion's SSH port (default 22).")
  Integer sshPort;

  @Option(
      names = "--ssh-user",
      description = "SSH_BASTION: the bastion user whose authorized_keys gets Materialize's keys.")
  String sshUser;

  @Option(
      names = "--privatelink-service",
      description =
          "PRIVATELINK_SERVICE: the VPC endpoint service name"
              + " (com.amazonaws.vpce.<region>.vpce-svc-<id>).")
  String privatelinkService;

  @Option(
      names = "--availability-zones",
      split = ",",
      description = "PRIVATELINK_SERVICE: the service's AZ ids, e.g. use1-az1,use1-az4.")
  java.util.List<String> availabilityZones;

  @Option(names = "--cluster", description = "Materialize cluster (default onramp_ingest).")
  String cluster;

  @Option(names = "--cluster-size", description = "Size when creating the cluster (default 25cc).")
  String clusterSize;

  @Option(
      names = "--resize-to",
      description = "Resize the cluster to this size after the snapshot.")
  String resizeTo;

  @Option(
      names = "--snapshot-cluster-size",
      description =
          "Create the cluster on this larger size for the initial snapshot and shrink it to"
              + " --resize-to (or --cluster-size) once the snapshot is committed (default: off).")
  String snapshotClusterSize;

  @Option(names = "--source", description = "Materialize source name (default <database>_source).")
  String source;

  @Option(names = "--ssh-tunnel", description = "Existing Materialize SSH TUNNEL connection.")
  String sshTunnel;

  @Option(names = "--privatelink", description = "Existing Materialize AWS PRIVATELINK connection.")
  String privatelink;

  @Option(
      names = "--ssl-mode",
      description = "SSL mode of the Materialize connection (default require).")
  String sslMode;

  @Mixin AwsWaitOptions waits = new AwsWaitOptions();

  @Option(
      names = "--snapshot-poll-interval",
      converter = Durations.class,
      description = "Time between readings of the snapshot's progress (default 5s).")
  Duration snapshotPollInterval;

  @Option(
      names = "--reverify-every",
      converter = Durations.class,
      description = "Re-verification schedule interval; 0 turns it off (default 1h).")
  Duration reverifyEvery;

  /** The request from the file (if any) with every given flag applied on top, validated. */
  public OnboardingRequest request() {
    OnboardingRequest base;
    try {
      base = file == null ? empty() : RequestFile.read(file);
    } catch (RequestFile.Invalid e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    try {
      OnboardingRequest r = overlay(base);
      RequestValidator.validate(r);
      return r;
    } catch (IllegalArgumentException e) { // InvalidRequestException included
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
  }

  private static OnboardingRequest empty() {
    return new OnboardingRequest(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private OnboardingRequest overlay(OnboardingRequest b) {
    TableSelection selection = b.tables();
    if (tables != null) {
      selection =
          tables.tables != null
              ? new TableSelection(TableSelection.Mode.TABLES, tables.tables)
              : tables.schemas != null
                  ? new TableSelection(TableSelection.Mode.SCHEMAS, tables.schemas)
                  : TableSelection.allTables();
    }
    MaterializeTarget m =
        b.materialize() == null
            ? new MaterializeTarget(null, null, null, null, null, null, null, null, null)
            : b.materialize();
    m =
        new MaterializeTarget(
            or(cluster, m.cluster()),
            or(clusterSize, m.clusterSize()),
            or(source, m.source()),
            m.connection(),
            m.secret(),
            or(sslMode, m.sslMode()),
            or(sshTunnel, m.sshTunnelConnection()),
            or(privatelink, m.privatelinkConnection()),
            or(resizeTo, m.resizeTo()),
            or(snapshotClusterSize, m.snapshotClusterSize()));
    WaitSettings w = b.waits() == null ? new WaitSettings(null, null, null, null, null) : b.waits();
    w =
        new WaitSettings(
            or(waits.pollInterval, w.awsPollInterval()),
            or(waits.maxWait, w.awsMaxWait()),
            or(snapshotPollInterval, w.snapshotPollInterval()),
            w.snapshotMaxWait(),
            or(waits.approvalTimeout, w.approvalTimeout()),
            w.stalledGrace());
    SecretRef admin =
        adminCredentials == null ? b.adminCredentials() : SecretRefs.parse(adminCredentials);
    RebootPolicy policy =
        rebootPolicy == null ? b.rebootPolicy() : RequestValidator.rebootPolicy(rebootPolicy);
    NetworkMode mode =
        networkMode == null ? b.networkMode() : RequestValidator.networkMode(networkMode);
    return new OnboardingRequest(
            or(region, b.region()),
            or(instance, b.dbInstanceId()),
            or(database, b.database()),
            selection,
            or(publication, b.publication()),
            or(replicationUser, b.replicationUser()),
            admin,
            or(replicationSecret, b.replicationPasswordSecret()),
            m,
            mode,
            policy,
            w,
            or(reverifyEvery, b.reverifyEvery()),
            or(maxReboots, b.maxReboots()),
            or(applyPendingModifications, b.applyPendingModifications()))
        .withSetMaxSlotWalKeepSizeMb(or(setMaxSlotWalKeepSizeMb, b.setMaxSlotWalKeepSizeMb()))
        .withNetwork(network(b.network()));
  }

  /** The file's network path with the flags given on top; null when neither says anything. */
  private NetworkPath network(NetworkPath file) {
    if (sshHost == null
        && sshPort == null
        && sshUser == null
        && privatelinkService == null
        && availabilityZones == null) {
      return file;
    }
    NetworkPath f = file == null ? new NetworkPath(null, null, null, null, null) : file;
    return new NetworkPath(
        or(sshHost, f.sshHost()),
        or(sshPort, f.sshPort()),
        or(sshUser, f.sshUser()),
        or(privatelinkService, f.privatelinkServiceName()),
        or(availabilityZones, f.availabilityZones().isEmpty() ? null : f.availabilityZones()));
  }

  private static <T> T or(T flag, T fromFile) {
    return flag != null ? flag : fromFile;
  }
}
