package dev.onramp.workflows;

import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.MaterializePlan;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.upstream.PreflightReport;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.upstream.WalSafety;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * Step 1: fail fast on anything a person must fix before onramp changes anything. Read-only, so
 * that planning runs the same checks and refuses the same requests.
 */
final class Preflight {
  private final OnboardingRequest request;
  private final TargetNames names;
  private final OnboardingActivities act;
  private final ReadCalls reads;
  private final ProgressTracker progress;
  private final boolean rebootSafety;
  private final String region;
  private final String id;

  /** {@code rebootSafety}: see {@link OnboardingWorkflowImpl#REBOOT_SAFETY}. */
  Preflight(
      OnboardingRequest request,
      OnboardingActivities act,
      ProgressTracker progress,
      boolean rebootSafety) {
    this(request, act, ReadCalls.ordinary(act), progress, rebootSafety);
  }

  /** {@code reads}: the stubs of its read-only checks ({@link ReadCalls}, {@code lean-history}). */
  Preflight(
      OnboardingRequest request,
      OnboardingActivities act,
      ReadCalls reads,
      ProgressTracker progress,
      boolean rebootSafety) {
    this.request = request;
    this.names = TargetNames.of(request);
    this.act = act;
    this.reads = reads;
    this.progress = progress;
    this.rebootSafety = rebootSafety;
    this.region = request.region();
    this.id = request.dbInstanceId();
  }

  Preflighted run() {
    progress.start(OnboardingStep.PREFLIGHT, "describing " + id);
    DbInstanceInfo instance = reads.rds.describeInstance(region, id);
    refuseUnsupported(instance);
    if (!instance.status().equals("available")) {
      progress.waiting(OnboardingStep.PREFLIGHT, Waits.aws(request, id + " to become available"));
      act.rdsPoll.checkAvailable(region, id);
      progress.running(OnboardingStep.PREFLIGHT, id + " is available");
    }
    if (rebootSafety) {
      refusePendingModifications(instance);
      if (request.rebootPolicy() == RebootPolicy.MAINTENANCE_WINDOW) {
        RebootGate.window(id, instance.preferredMaintenanceWindow());
      }
    }
    SecretRef admin = request.adminCredentials();
    if (admin.kind() == SecretRef.Kind.RDS_MANAGED) {
      if (instance.masterUserSecretArn() == null) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.SECRET_NOT_FOUND,
            "instance "
                + id
                + " has no RDS-managed master user secret; give the admin credentials as a"
                + " Secrets Manager secret (adminCredentials SECRETS_MANAGER:<arn>)");
      }
      admin = SecretRef.secretsManager(instance.masterUserSecretArn());
    }
    reads.secrets.checkReadable(region, admin);
    UpstreamTarget target = UpstreamTarget.of(region, id, instance, names.database(), admin);
    PreflightReport report = reads.upstream.preflight(target, request.tables());
    MaterializeInfo mz = reads.materialize.describe();
    if (Workflow.getVersion(OnboardingWorkflowImpl.OWNERSHIP_CHECKS, Workflow.DEFAULT_VERSION, 1)
        >= 1) {
      checkOwnership(target);
    }
    // Names taken and privileges missing in Materialize stop the run here, before the reboot.
    boolean namedRelations =
        Workflow.getVersion("materialize-preflight", Workflow.DEFAULT_VERSION, 1) >= 1;
    WalSafety walSafety = WalSafety.of(report.maxSlotWalKeepSize(), instance.allocatedStorageGib());
    Preflighted found =
        new Preflighted(
            request, names, instance, target, mz, namedRelations, report.tableNames(), walSafety);
    if (namedRelations) {
      reads.materialize.checkPlan(materializePlan(found));
    }
    if (request.networkMode() == NetworkMode.EGRESS_IPS) {
      // Before anything changes: a CIDR the network step would refuse must stop the run here.
      // The whole internet never passes; the worker's prefix limits are its configuration,
      // so the network activity checks those (a new call, hence the version marker).
      EgressCidrGuard.NOT_THE_INTERNET.check(mz.egressCidrs());
      if (Workflow.getVersion("preflight-egress-cidrs", Workflow.DEFAULT_VERSION, 1) == 1) {
        reads.network.checkEgressCidrs(mz.egressCidrs());
      }
    }
    if (NetworkSetup.appliesTo(request)) {
      // A bastion that does not resolve or an endpoint service that does not exist stops the run
      // here, before anything is created.
      NetworkSetup.check(found);
    }
    progress.done(
        OnboardingStep.PREFLIGHT,
        "PostgreSQL "
            + report.serverVersion()
            + ", "
            + report.tables().size()
            + " table(s); Materialize "
            + mz.version()
            + (walSafety == null ? "" : "; WAL: " + walSafety.advice()));
    return found;
  }

  /** The Materialize objects the onboarding converges, as preflight and planning check them. */
  static MaterializePlan materializePlan(Preflighted found) {
    return new MaterializePlan(
        found.names().cluster(), found.connectionSpec(), found.sourceSpec(found.tableNames()));
  }

  private void refuseUnsupported(DbInstanceInfo instance) {
    boolean auroraWriter = false;
    if (instance.dbClusterId() != null || instance.engine().startsWith("aurora")) {
      if (Workflow.getVersion(AuroraPreflight.CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1) {
        AuroraPreflight.refuseUnsupported(id, instance);
        auroraWriter = true;
      }
    }
    if (!auroraWriter
        && (instance.dbClusterId() != null || instance.engine().startsWith("aurora"))) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + id
              + " is part of Aurora cluster "
              + instance.dbClusterId()
              + " (engine "
              + instance.engine()
              + "); onramp onboards RDS for PostgreSQL instances only, Aurora support is planned");
    }
    if (!auroraWriter && !"postgres".equals(instance.engine())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + id
              + " uses engine "
              + instance.engine()
              + "; onramp onboards PostgreSQL only (RDS for PostgreSQL or Aurora PostgreSQL)."
              + " Nothing was changed");
    }
    if (majorVersion(instance.engineVersion()) < 11) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + id
              + " runs PostgreSQL "
              + instance.engineVersion()
              + "; Materialize needs PostgreSQL 11 or newer: upgrade the instance first");
    }
    if (instance.status().equals("stopped") || instance.status().equals("stopping")) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_STATE,
          "instance " + id + " is " + instance.status() + "; start it, then run onramp again");
    }
    if (request.networkMode() == NetworkMode.EGRESS_IPS && !instance.publiclyAccessible()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.NOT_REACHABLE,
          "instance "
              + id
              + " is not publicly accessible, so Materialize cannot reach it through its egress"
              + " IPs; choose networkMode SSH_BASTION or PRIVATELINK_SERVICE (onramp makes the"
              + " connection), SSH_TUNNEL or PRIVATELINK (with an existing Materialize"
              + " connection), or NONE if you have opened the path yourself");
    }
  }

  /**
   * ModifyDBInstance with ApplyImmediately=true, which the association uses, applies every pending
   * modification of the instance (RDS API reference): someone's queued instance-class change would
   * happen with onramp's change. Stop before changing anything unless asked.
   */
  private void refusePendingModifications(DbInstanceInfo instance) {
    List<String> pending = instance.pending();
    if (pending.isEmpty()) {
      return;
    }
    if (!request.appliesPendingModifications()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PENDING_MODIFICATIONS,
          "instance "
              + id
              + " has pending modifications ("
              + String.join(", ", pending)
              + ") that onramp's ModifyDBInstance (ApplyImmediately=true) would apply along with"
              + " the parameter group; apply or cancel them first, or run onramp again with"
              + " --apply-pending-modifications (applyPendingModifications: true) to apply them"
              + " now. Nothing was changed");
    }
    progress.running(
        OnboardingStep.PREFLIGHT,
        "pending modifications will be applied as asked: " + String.join(", ", pending));
  }

  /**
   * Nothing onramp would change later belongs to someone else, and the replication user is neither
   * the master user nor an administrator (read-only checks).
   */
  private void checkOwnership(UpstreamTarget target) {
    progress.running(OnboardingStep.PREFLIGHT, "checking that onramp alters only its own objects");
    reads.secrets.checkReplicationSecret(
        region, request.replicationPasswordSecret(), names.replicationUser());
    reads.upstream.checkUpstreamOwnership(
        target, request.tables(), names.publication(), names.replicationUser());
    reads.materialize.checkMaterializeOwnership(
        names.cluster(),
        names.secret(),
        names.connection(),
        names.source(),
        // A snapshot size means a resize after the snapshot, too: only of onramp's own cluster.
        request.materialize().resizeTo() != null
            ? request.materialize().resizeTo()
            : request.materialize().snapshotClusterSize());
  }

  private static int majorVersion(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
