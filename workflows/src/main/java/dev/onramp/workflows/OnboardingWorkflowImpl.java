package dev.onramp.workflows;

import dev.onramp.activities.materialize.ClusterUtilization;
import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.MaterializePlan;
import dev.onramp.activities.materialize.SnapshotStatus;
import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.network.IngressResult;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.InstanceState;
import dev.onramp.activities.rds.ParameterGroupPlan;
import dev.onramp.activities.upstream.LogicalReplicationStatus;
import dev.onramp.activities.upstream.PreflightReport;
import dev.onramp.activities.upstream.UpstreamObjects;
import dev.onramp.activities.upstream.UpstreamTarget;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/** The onboarding procedure of the seed document as a durable workflow; steps as in the design. */
public class OnboardingWorkflowImpl implements OnboardingWorkflow {
  private static final Logger log = Workflow.getLogger(OnboardingWorkflowImpl.class);

  /** The change id of the reboot path's version; see docs/versioning.md. */
  static final String REBOOT_SAFETY_CHANGE = "reboot-safety";

  /**
   * Evidence-based waits after ModifyDBInstance and RebootDBInstance, the gate before every reboot,
   * pending modifications and the maintenance window checked at preflight, the window read again
   * after its timer, an approval in the deadline's workflow task counted as given, and mutating
   * calls that a cancel waits for.
   */
  static final int REBOOT_SAFETY = 1;

  /** Version marker: runs before it did not check ownership in preflight. */
  static final String OWNERSHIP_CHECKS = "ownership-checks";

  private final ProgressTracker progress = new ProgressTracker();
  private boolean approvalPending;
  private RebootDecision decision;

  @Override
  public OnboardingResult onboard(OnboardingRequest input) {
    List<String> problems = RequestValidator.problems(input);
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OnboardingRequest request = input.withDefaults();
    progress.begin(request.dbInstanceId(), request.database());
    int rebootPath =
        Workflow.getVersion(REBOOT_SAFETY_CHANGE, Workflow.DEFAULT_VERSION, REBOOT_SAFETY);
    OnboardingActivities act =
        new OnboardingActivities(request.waits(), rebootPath >= REBOOT_SAFETY);
    try {
      OnboardingResult result = new Run(request, act, rebootPath).execute();
      progress.status(OnboardingStatus.COMPLETED);
      return result;
    } catch (RuntimeException e) {
      if (CancellationScope.current().isCancelRequested()) {
        // A cancelled run's close event keeps no message, so the report lives in the progress
        // query (which answers after the run is closed) and the workflow log.
        // Mutating activities wait for their cancellation to complete (OnboardingActivities), so
        // by now nothing onramp started is still changing things.
        String inFlight = progress.currentStepMessage();
        String summary =
            "cancelled during "
                + progress.currentStep()
                + (inFlight == null ? "" : " (in flight: " + inFlight + ")")
                + "; created so far: "
                + describe(progress.createdResources())
                + "; found and reused: "
                + describe(progress.reusedResources());
        progress.cancelled(summary);
        log.info("onboarding {}", summary);
        throw new CanceledFailure(summary);
      }
      ApplicationFailure failure = explain(e, request);
      progress.failed(failure.getOriginalMessage());
      log.warn("onboarding failed in {}: {}", progress.currentStep(), failure.getOriginalMessage());
      throw failure;
    }
  }

  /** One execution of the steps; holds what earlier steps learned. */
  private final class Run {
    private final OnboardingRequest request;
    private final OnboardingActivities act;
    private final TargetNames names;
    private final String region;
    private final String id;
    private DbInstanceInfo instance;
    private UpstreamTarget target;
    private MaterializeInfo mz;
    private String parameterGroup;
    private int reboots;
    private SecretRef replicationPassword;
    private boolean namedRelations;

    /**
     * The reboot path's version (docs/versioning.md): {@link Workflow#DEFAULT_VERSION} for runs
     * that started before the evidence-based waits, the gate before every reboot, the window
     * re-check and the approval race fix; {@link #REBOOT_SAFETY} for runs started since.
     */
    private final int rebootPath;

    Run(OnboardingRequest request, OnboardingActivities act, int rebootPath) {
      this.request = request;
      this.act = act;
      this.names = TargetNames.of(request);
      this.region = request.region();
      this.id = request.dbInstanceId();
      this.rebootPath = rebootPath;
    }

    private boolean rebootSafety() {
      return rebootPath >= REBOOT_SAFETY;
    }

    OnboardingResult execute() {
      preflight();
      if (logicalReplicationOn()) {
        String why = "rds.logical_replication is already on";
        progress.reused("parameter group " + instance.parameterGroup() + " (already on)");
        progress.skipped(OnboardingStep.PARAMETER_GROUP, why);
        progress.skipped(OnboardingStep.ASSOCIATE_AND_GATE, why);
        progress.skipped(OnboardingStep.REBOOT_AND_WAIT, why);
        parameterGroup = instance.parameterGroup();
      } else {
        prepareParameterGroup();
        associateAndPassGate();
        rebootUntilEnabled();
      }
      UpstreamObjects upstream = upstreamObjects();
      network();
      SourceInfo source = materializeObjects(upstream);
      SnapshotStatus snapshot = snapshot();
      String size = rightSize();
      reverification();
      return new OnboardingResult(
          id,
          request.database(),
          parameterGroup,
          reboots,
          upstream.publication(),
          upstream.replicationUser(),
          source.name(),
          source.relations(),
          snapshot.snapshotRecordsStaged(),
          size,
          progress.createdResources(),
          List.of());
    }

    /** Step 1: fail fast on anything a person must fix before onramp changes anything. */
    private void preflight() {
      progress.start(OnboardingStep.PREFLIGHT, "describing " + id);
      instance = act.rds.describeInstance(region, id);
      if (instance.dbClusterId() != null || instance.engine().startsWith("aurora")) {
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
      if (!"postgres".equals(instance.engine())) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.UNSUPPORTED_ENGINE,
            "instance "
                + id
                + " uses engine "
                + instance.engine()
                + "; onramp onboards PostgreSQL only");
      }
      int major = majorVersion(instance.engineVersion());
      if (major < 11) {
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
                + " IPs; choose networkMode SSH_TUNNEL or PRIVATELINK (with an existing Materialize"
                + " connection), or NONE if you have opened the path yourself");
      }
      if (!instance.status().equals("available")) {
        progress.waiting(OnboardingStep.PREFLIGHT, awsWait(id + " to become available"));
        act.rdsPoll.checkAvailable(region, id);
        progress.running(OnboardingStep.PREFLIGHT, id + " is available");
      }
      if (rebootSafety()) {
        refusePendingModifications();
        refuseUnreadableMaintenanceWindow();
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
      act.secrets.checkReadable(region, admin);
      target =
          new UpstreamTarget(
              region,
              id,
              instance.endpointAddress(),
              instance.endpointPort(),
              names.database(),
              instance.masterUsername(),
              admin,
              "require");
      PreflightReport report = act.upstream.preflight(target, request.tables());
      mz = act.materialize.describe();
      if (Workflow.getVersion(OWNERSHIP_CHECKS, Workflow.DEFAULT_VERSION, 1) >= 1) {
        checkOwnership();
      }
      // Names taken and privileges missing in Materialize stop the run here, before the reboot.
      namedRelations =
          Workflow.getVersion("materialize-preflight", Workflow.DEFAULT_VERSION, 1) >= 1;
      if (namedRelations) {
        act.materialize.checkPlan(
            new MaterializePlan(
                names.cluster(), connectionSpec(), sourceSpec(report.tableNames())));
      }
      if (request.networkMode() == NetworkMode.EGRESS_IPS) {
        // Before anything changes: a CIDR the network step would refuse must stop the run here.
        // The whole internet never passes; the worker's prefix limits are its configuration,
        // so the network activity checks those (a new call, hence the version marker).
        EgressCidrGuard.NOT_THE_INTERNET.check(mz.egressCidrs());
        if (Workflow.getVersion("preflight-egress-cidrs", Workflow.DEFAULT_VERSION, 1) == 1) {
          act.network.checkEgressCidrs(mz.egressCidrs());
        }
      }
      progress.done(
          OnboardingStep.PREFLIGHT,
          "PostgreSQL "
              + report.serverVersion()
              + ", "
              + report.tables().size()
              + " table(s); Materialize "
              + mz.version());
    }

    private ConnectionSpec connectionSpec() {
      MaterializeTarget m = request.materialize();
      return new ConnectionSpec(
          names.connection(),
          instance.endpointAddress(),
          instance.endpointPort(),
          names.database(),
          names.replicationUser(),
          names.secret(),
          m.sslMode(),
          request.networkMode() == NetworkMode.SSH_TUNNEL ? names.sshTunnelConnection() : null,
          request.networkMode() == NetworkMode.PRIVATELINK ? names.privatelinkConnection() : null);
    }

    /** The source, its relations named after it (runs that began before that keep the old form). */
    private SourceSpec sourceSpec(List<QualifiedName> upstreamTables) {
      MaterializeTarget m = request.materialize();
      SourceSpec spec =
          new SourceSpec(
              names.source(),
              names.cluster(),
              names.connection(),
              names.publication(),
              request.tables(),
              mz.sourceSyntax());
      return namedRelations && upstreamTables != null
          ? spec.withRelationsFor(upstreamTables)
          : spec;
    }

    /**
     * ModifyDBInstance with ApplyImmediately=true, which the association uses, applies every
     * pending modification of the instance (RDS API reference): someone's queued instance-class
     * change would happen with onramp's change. Stop before changing anything unless asked.
     */
    private void refusePendingModifications() {
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

    private void refuseUnreadableMaintenanceWindow() {
      if (request.rebootPolicy() == RebootPolicy.MAINTENANCE_WINDOW) {
        maintenanceWindow(instance.preferredMaintenanceWindow());
      }
    }

    private MaintenanceWindow maintenanceWindow(String text) {
      try {
        return MaintenanceWindow.parse(text);
      } catch (IllegalArgumentException e) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.INSTANCE_STATE,
            "instance "
                + id
                + " reports "
                + e.getMessage()
                + "; fix its PreferredMaintenanceWindow (ModifyDBInstance) or use reboot policy"
                + " APPROVAL");
      }
    }

    /**
     * Part of step 1: nothing onramp would change later belongs to someone else, and the
     * replication user is neither the master user nor an administrator (read-only checks).
     */
    private void checkOwnership() {
      progress.running(
          OnboardingStep.PREFLIGHT, "checking that onramp alters only its own objects");
      act.secrets.checkReplicationSecret(
          region, request.replicationPasswordSecret(), names.replicationUser());
      act.upstream.checkUpstreamOwnership(
          target, request.tables(), names.publication(), names.replicationUser());
      act.materialize.checkMaterializeOwnership(
          names.cluster(),
          names.secret(),
          names.connection(),
          names.source(),
          request.materialize().resizeTo());
    }

    /** Step 2: the seed's pg_settings check, plus wal_level. */
    private boolean logicalReplicationOn() {
      progress.start(OnboardingStep.LOGICAL_REPLICATION_CHECK, "reading pg_settings");
      LogicalReplicationStatus status = act.upstream.checkLogicalReplication(target);
      progress.done(
          OnboardingStep.LOGICAL_REPLICATION_CHECK,
          "rds.logical_replication="
              + status.rdsLogicalReplication()
              + ", wal_level="
              + status.walLevel());
      return status.enabled();
    }

    /** Step 3: a group with rds.logical_replication=1 that changes no other instance. */
    private void prepareParameterGroup() {
      progress.start(OnboardingStep.PARAMETER_GROUP, "planning");
      ParameterGroupPlan plan = act.rds.planParameterGroup(region, id);
      if (plan.action() != ParameterGroupPlan.Action.ALREADY_SET) {
        act.rds.prepareParameterGroup(region, plan);
      }
      switch (plan.action()) {
        case CREATE, COPY -> progress.created("parameter group " + plan.targetGroup());
        case MODIFY_IN_PLACE ->
            progress.reused(
                "parameter group "
                    + plan.targetGroup()
                    + " (found; onramp set rds.logical_replication=1 in it)");
        case ALREADY_SET ->
            progress.reused(
                "parameter group "
                    + plan.targetGroup()
                    + " (already sets rds.logical_replication)");
      }
      parameterGroup = plan.targetGroup();
      progress.done(OnboardingStep.PARAMETER_GROUP, plan.reason());
    }

    /** Step 4: associate, wait for evidence of it, then the reboot gate. */
    private void associateAndPassGate() {
      progress.start(OnboardingStep.ASSOCIATE_AND_GATE, "associating " + parameterGroup);
      act.rds.associateParameterGroup(
          region, id, parameterGroup, request.appliesPendingModifications());
      progress.waiting(
          OnboardingStep.ASSOCIATE_AND_GATE,
          awsWait(id + " to show " + parameterGroup + " and become available"));
      if (rebootSafety()) {
        act.rdsPoll.checkAssociated(region, id, parameterGroup);
      } else {
        act.rdsPoll.checkAvailable(region, id);
      }
      progress.done(
          OnboardingStep.ASSOCIATE_AND_GATE, passGate(OnboardingStep.ASSOCIATE_AND_GATE, null));
    }

    /**
     * The request's gate for one reboot; {@code diagnosis} says why a reboot after the first is
     * needed. Returns what let the reboot through.
     */
    private String passGate(OnboardingStep step, String diagnosis) {
      return switch (request.rebootPolicy()) {
        case IMMEDIATE -> "reboot policy IMMEDIATE";
        case APPROVAL -> awaitApproval(step, diagnosis);
        case MAINTENANCE_WINDOW -> awaitMaintenanceWindow(step, diagnosis);
      };
    }

    private String awaitApproval(OnboardingStep step, String diagnosis) {
      Duration timeout = request.waits().approvalTimeout();
      Instant deadline = now().plus(timeout);
      decision = null;
      approvalPending = true;
      progress.status(OnboardingStatus.WAITING_FOR_APPROVAL);
      progress.waiting(
          step,
          (diagnosis == null ? "" : diagnosis + "; ")
              + "approval to reboot "
              + id
              + (reboots > 0 ? " again (reboot " + (reboots + 1) + ")" : "")
              + " (onramp approve / reject, the approveReboot update, or the rebootDecision signal"
              + " from the Web UI) until "
              + deadline);
      boolean decided = Workflow.await(timeout, () -> decision != null);
      // An approval that arrives in the same workflow task as the deadline's timer counts:
      // await reports the timeout even when the condition became true in that task.
      if (rebootSafety()) {
        decided = decided || decision != null;
      }
      approvalPending = false;
      String after = reboots == 0 ? "" : " after " + reboots + " reboot(s)";
      if (!decided) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.APPROVAL_TIMED_OUT,
            "no one approved the reboot of "
                + id
                + " within "
                + HumanDurations.format(timeout)
                + after
                + "; the parameter group "
                + parameterGroup
                + " stays associated, pending reboot. Start the onboarding again to ask again,"
                + " or reboot in a maintenance window");
      }
      if (!decision.approved()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.REBOOT_REJECTED,
            "reboot of "
                + id
                + " rejected by "
                + decision.by()
                + (decision.reason() == null ? "" : ": " + decision.reason())
                + after
                + "; parameter group "
                + parameterGroup
                + " stays associated, pending reboot");
      }
      progress.status(OnboardingStatus.RUNNING);
      return "reboot approved by " + decision.by();
    }

    /**
     * Waits for the instance's maintenance window: the current one for the first reboot, the next
     * opening for a later one (the current window already had its reboot). The window is read again
     * after the timer, since it may have changed while the run slept.
     */
    private String awaitMaintenanceWindow(OnboardingStep step, String diagnosis) {
      String text = instance.preferredMaintenanceWindow();
      MaintenanceWindow window = maintenanceWindow(text);
      Duration delay =
          diagnosis == null ? window.delayFrom(now()) : window.delayToNextOpening(now());
      while (!delay.isZero()) {
        progress.status(OnboardingStatus.WAITING_FOR_MAINTENANCE_WINDOW);
        progress.waiting(
            step,
            (diagnosis == null ? "" : diagnosis + "; ")
                + "maintenance window "
                + window.text()
                + " opening at "
                + now().plus(delay));
        Workflow.sleep(delay);
        if (!rebootSafety()) {
          break;
        }
        instance = act.rds.describeInstance(region, id);
        window = maintenanceWindow(instance.preferredMaintenanceWindow());
        delay = window.delayFrom(now());
      }
      progress.status(OnboardingStatus.RUNNING);
      return "in maintenance window " + window.text();
    }

    /** Step 5: reboot, wait, verify; every further reboot passes the gate again. */
    private void rebootUntilEnabled() {
      progress.start(OnboardingStep.REBOOT_AND_WAIT, "rebooting " + id);
      if (!rebootSafety()) {
        rebootTwiceWithoutGate();
        return;
      }
      while (true) {
        InstanceState state = rebootAndWait();
        LogicalReplicationStatus status = logicalReplication();
        if (status.enabled()) {
          progress.done(
              OnboardingStep.REBOOT_AND_WAIT,
              "logical replication on after " + reboots + " reboot" + (reboots == 1 ? "" : "s"));
          return;
        }
        String diagnosis = stillOff(status, state);
        if (reboots >= request.rebootLimit()) {
          throw OnboardingFailures.nonRetryable(
              OnboardingFailures.PARAMETER_NOT_APPLIED,
              diagnosis
                  + ". The request allows "
                  + request.rebootLimit()
                  + " reboot(s) (maxReboots). Check that the group sets rds.logical_replication=1"
                  + " (DescribeDBParameters) and the instance's recent events (DescribeEvents),"
                  + " then run onramp again");
        }
        log.info("{}; the next reboot passes the gate again", diagnosis);
        progress.running(OnboardingStep.REBOOT_AND_WAIT, diagnosis);
        String passed = passGate(OnboardingStep.REBOOT_AND_WAIT, diagnosis);
        progress.running(OnboardingStep.REBOOT_AND_WAIT, passed + "; rebooting " + id + " again");
      }
    }

    private String stillOff(LogicalReplicationStatus status, InstanceState state) {
      return "rds.logical_replication is still "
          + status.rdsLogicalReplication()
          + " (wal_level "
          + status.walLevel()
          + ") after "
          + reboots
          + " reboot(s) of "
          + id
          + "; its parameter group "
          + state.parameterGroup()
          + " is "
          + state.parameterApplyStatus();
    }

    /** Runs started before {@link #REBOOT_SAFETY}: a second reboot without the gate. */
    private void rebootTwiceWithoutGate() {
      InstanceState state = rebootAndWait();
      if (logicalReplication().enabled()) {
        progress.done(OnboardingStep.REBOOT_AND_WAIT, "logical replication on after 1 reboot");
        return;
      }
      progress.running(OnboardingStep.REBOOT_AND_WAIT, "still off after reboot; rebooting again");
      state = rebootAndWait();
      LogicalReplicationStatus status = logicalReplication();
      if (status.enabled()) {
        progress.done(OnboardingStep.REBOOT_AND_WAIT, "logical replication on after 2 reboots");
        return;
      }
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_NOT_APPLIED,
          stillOff(status, state)
              + ". Check that the group sets rds.logical_replication=1 (DescribeDBParameters)"
              + " and the instance's recent events (DescribeEvents), then run onramp again");
    }

    private InstanceState rebootAndWait() {
      Instant requestedAt = now();
      act.rds.reboot(region, id, requestedAt);
      reboots++;
      progress.waiting(
          OnboardingStep.REBOOT_AND_WAIT,
          awsWait(id + " to restart and " + parameterGroup + " to be in-sync"));
      return act.rdsPoll.checkRebooted(region, id, parameterGroup, requestedAt);
    }

    private LogicalReplicationStatus logicalReplication() {
      return act.upstream.checkLogicalReplication(target);
    }

    /** Step 6: publication, replication user with a generated password, grants. */
    private UpstreamObjects upstreamObjects() {
      progress.start(OnboardingStep.UPSTREAM_OBJECTS, "storing the replication password");
      SecretRef password =
          act.secrets.ensureReplicationPassword(
              region, id, request.replicationPasswordSecret(), names.replicationUser());
      progress.created("secret " + request.replicationPasswordSecret());
      progress.running(OnboardingStep.UPSTREAM_OBJECTS, "publication, user and grants");
      UpstreamObjects objects = ensureUpstreamObjects(password);
      progress.created("publication " + objects.publication());
      progress.created("user " + objects.replicationUser());
      progress.done(
          OnboardingStep.UPSTREAM_OBJECTS,
          "publication "
              + objects.publication()
              + " with "
              + objects.tables().size()
              + " table(s), user "
              + objects.replicationUser()
              + (objects.note() == null ? "" : "; note: " + objects.note()));
      this.replicationPassword = password;
      return objects;
    }

    /**
     * The upstream DDL gives up on a table lock it cannot get within its lock_timeout (so that it
     * never queues behind a long reader and blocks writers); the workflow shows that wait and tries
     * again every AWS poll interval, for at most the AWS wait bound.
     */
    private UpstreamObjects ensureUpstreamObjects(SecretRef password) {
      Instant giveUp = now().plus(request.waits().awsMaxWait());
      while (true) {
        try {
          return act.upstreamDdl.ensureUpstreamObjects(
              target, request.tables(), names.publication(), names.replicationUser(), password);
        } catch (ActivityFailure f) {
          if (!(f.getCause() instanceof ApplicationFailure app)
              || !OnboardingFailures.UPSTREAM_LOCK_BUSY.equals(app.getType())) {
            throw f;
          }
          if (!now().isBefore(giveUp)) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.UPSTREAM_LOCK_BUSY,
                "gave up after "
                    + HumanDurations.format(request.waits().awsMaxWait())
                    + "; last attempt said: "
                    + app.getOriginalMessage()
                    + ". Find the long-running transaction in pg_stat_activity, then run onramp"
                    + " again",
                app);
          }
          // progress.waiting says "waiting for " itself.
          progress.waiting(
              OnboardingStep.UPSTREAM_OBJECTS,
              app.getOriginalMessage().replaceFirst("^waiting for ", ""));
          Workflow.sleep(request.waits().awsPollInterval());
          progress.running(OnboardingStep.UPSTREAM_OBJECTS, "publication, user and grants");
        }
      }
    }

    /** Step 7: let Materialize's egress IPs in, or leave the path to the tunnel / PrivateLink. */
    private void network() {
      progress.start(OnboardingStep.NETWORK, "network mode " + request.networkMode());
      if (request.networkMode() != NetworkMode.EGRESS_IPS) {
        progress.skipped(
            OnboardingStep.NETWORK,
            "network mode " + request.networkMode() + ": no security group change");
        return;
      }
      if (mz.egressCidrs().isEmpty()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.MATERIALIZE,
            "Materialize reports no egress IPs (mz_egress_ips is empty); choose networkMode"
                + " SSH_TUNNEL, PRIVATELINK or NONE");
      }
      IngressResult result =
          act.network.authorizeIngress(
              region, instance.securityGroupIds(), instance.endpointPort(), mz.egressCidrs());
      result.added().forEach(rule -> progress.created("ingress rule " + rule));
      result.alreadyPresent().forEach(rule -> progress.reused("ingress rule " + rule));
      progress.done(
          OnboardingStep.NETWORK,
          result.added().size()
              + " rule(s) added, "
              + result.alreadyPresent().size()
              + " already present");
    }

    /** Step 8: cluster, secret, connection, source. */
    private SourceInfo materializeObjects(UpstreamObjects upstream) {
      MaterializeTarget m = request.materialize();
      progress.start(OnboardingStep.MATERIALIZE_OBJECTS, "cluster " + m.cluster());
      act.materialize.ensureCluster(names.cluster(), m.clusterSize());
      progress.created("cluster " + m.cluster());
      act.materialize.ensureSecret(names.secret(), region, replicationPassword);
      progress.created("Materialize secret " + m.secret());
      progress.running(OnboardingStep.MATERIALIZE_OBJECTS, "connection " + m.connection());
      act.materialize.ensureConnection(connectionSpec());
      progress.created("connection " + m.connection());
      progress.running(OnboardingStep.MATERIALIZE_OBJECTS, "source " + m.source());
      SourceInfo source = act.materialize.ensureSource(sourceSpec(upstream.tableNames()));
      if (source.created()) {
        progress.created("source " + m.source());
      } else {
        progress.reused("source " + m.source());
      }
      progress.done(
          OnboardingStep.MATERIALIZE_OBJECTS,
          "source " + source.name() + " feeding " + source.relations().size() + " relation(s)");
      return source;
    }

    /** Step 9: until the snapshot is committed, or the source's own error. */
    private SnapshotStatus snapshot() {
      String source = request.materialize().source();
      progress.start(OnboardingStep.SNAPSHOT, "source " + source);
      progress.waiting(OnboardingStep.SNAPSHOT, "the snapshot of " + source + " to commit");
      SnapshotStatus status =
          act.snapshot.awaitSnapshot(
              names.source(),
              request.waits().snapshotPollInterval(),
              request.waits().stalledGrace());
      progress.done(
          OnboardingStep.SNAPSHOT,
          "snapshot committed, "
              + status.snapshotRecordsStaged()
              + " record(s), status "
              + status.status());
      return status;
    }

    /** Step 10: report utilization; resize when asked to. */
    private String rightSize() {
      MaterializeTarget m = request.materialize();
      progress.start(OnboardingStep.RIGHT_SIZE, "cluster " + m.cluster());
      ClusterUtilization u = act.materialize.clusterUtilization(names.cluster());
      String report =
          String.format(
              Locale.ROOT,
              "cluster %s (%s): cpu %.0f%%, memory %.0f%%, suggested %s",
              u.cluster(),
              u.size(),
              u.cpuPercent(),
              u.memoryPercent(),
              u.suggestedSize());
      if (m.resizeTo() != null && !m.resizeTo().equals(u.size())) {
        act.materialize.resizeCluster(names.cluster(), m.resizeTo());
        progress.done(OnboardingStep.RIGHT_SIZE, report + "; resized to " + m.resizeTo());
        return m.resizeTo();
      }
      progress.done(OnboardingStep.RIGHT_SIZE, report);
      return u.size();
    }

    /** Step 11: the schedule that keeps re-verifying the onboarded database. */
    private void reverification() {
      Duration every = request.reverifyEvery();
      if (every.isZero()) {
        // An earlier onboarding of this database may have left its schedule: turned off means off.
        int version =
            Workflow.getVersion(
                "delete-schedule-when-reverification-off", Workflow.DEFAULT_VERSION, 1);
        boolean deleted = version >= 1 && act.reverification.deleteSchedule(request);
        progress.skipped(
            OnboardingStep.REVERIFICATION,
            deleted
                ? "re-verification turned off; deleted the earlier schedule"
                : "re-verification turned off");
        return;
      }
      progress.start(OnboardingStep.REVERIFICATION, "every " + HumanDurations.format(every));
      String scheduleId = act.reverification.ensureSchedule(request, every);
      progress.created("schedule " + scheduleId);
      progress.done(
          OnboardingStep.REVERIFICATION,
          "schedule " + scheduleId + " every " + HumanDurations.format(every));
    }

    private String awsWait(String what) {
      return what
          + " (checking every "
          + HumanDurations.format(request.waits().awsPollInterval())
          + ", at most "
          + HumanDurations.format(request.waits().awsMaxWait())
          + ")";
    }
  }

  /**
   * Turns what went wrong into one non-retryable failure whose message says, in the person's terms,
   * which step failed and why: the activity's own message, or the wait that ran out.
   */
  private ApplicationFailure explain(RuntimeException e, OnboardingRequest request) {
    String step = progress.currentStep().title();
    if (e instanceof ApplicationFailure af) {
      return af;
    }
    if (e instanceof ActivityFailure af) {
      Throwable cause = af.getCause();
      // A poll that runs out of schedule-to-close time ends with its last "not yet" as the cause.
      if (cause instanceof ApplicationFailure app
          && OnboardingFailures.NOT_READY.equals(app.getType())) {
        return OnboardingFailures.nonRetryable(
            OnboardingFailures.INSTANCE_STATE,
            step
                + ": gave up after "
                + HumanDurations.format(request.waits().awsMaxWait())
                + "; last check said: "
                + app.getOriginalMessage()
                + WAIT_RAN_OUT_FIX,
            app);
      }
      Duration bound = OnboardingActivities.callBound(af.getActivityType());
      if (cause instanceof ApplicationFailure app
          && !app.isNonRetryable()
          && bound != null
          && af.getRetryState() == RetryState.RETRY_STATE_TIMEOUT) {
        // An ordinary call that kept failing transiently until its time bound: the last error
        // carries its system's fix (docs/errors.md).
        return OnboardingFailures.nonRetryable(
            app.getType(),
            gaveUp(step, af.getActivityType(), bound, app.getOriginalMessage()),
            app);
      }
      if (cause instanceof ApplicationFailure app) {
        return OnboardingFailures.nonRetryable(
            app.getType(), step + ": " + app.getOriginalMessage(), app);
      }
      if (cause instanceof TimeoutFailure timeout) {
        Throwable last = timeout.getCause();
        String lastMessage =
            last instanceof ApplicationFailure app
                ? app.getOriginalMessage()
                : String.valueOf(last);
        boolean poll =
            last instanceof ApplicationFailure app
                && OnboardingFailures.NOT_READY.equals(app.getType());
        if (!poll && bound != null) {
          return OnboardingFailures.nonRetryable(
              last instanceof ApplicationFailure app ? app.getType() : OnboardingFailures.AWS,
              gaveUp(step, af.getActivityType(), bound, lastMessage),
              timeout);
        }
        return OnboardingFailures.nonRetryable(
            OnboardingFailures.INSTANCE_STATE,
            step
                + ": gave up after "
                + HumanDurations.format(request.waits().awsMaxWait())
                + " ("
                + timeout.getTimeoutType()
                + "); last check said: "
                + lastMessage
                + WAIT_RAN_OUT_FIX,
            timeout);
      }
    }
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.INSTANCE_STATE, step + ": " + e.getMessage(), e);
  }

  /** What to do when a wait for AWS ran out: the run stopped, nothing is half-made. */
  private static final String WAIT_RAN_OUT_FIX =
      ". Once the instance is available, run onramp again (it carries on from what exists), or"
          + " give the wait longer with --max-wait (waits.awsMaxWait)";

  private static String gaveUp(String step, String activityType, Duration bound, String last) {
    return step
        + ": gave up after retrying "
        + activityType
        + " for "
        + HumanDurations.format(bound)
        + "; last error: "
        + last;
  }

  @Override
  public OnboardingProgress progress() {
    return progress.snapshot();
  }

  @Override
  public RebootDecision approveReboot(String approver) {
    decision = new RebootDecision(true, approver, null, now());
    return decision;
  }

  @Override
  public void validateApproveReboot(String approver) {
    requirePendingApproval();
  }

  @Override
  public RebootDecision rejectReboot(String approver, String reason) {
    decision = new RebootDecision(false, approver, reason, now());
    return decision;
  }

  @Override
  public void validateRejectReboot(String approver, String reason) {
    requirePendingApproval();
  }

  @Override
  public void rebootDecision(RebootDecision signalled) {
    if (!approvalPending || decision != null || signalled == null) {
      log.warn("ignored a rebootDecision signal: no reboot approval is pending");
      return;
    }
    String by = signalled.by() == null || signalled.by().isBlank() ? "web-ui" : signalled.by();
    decision = new RebootDecision(signalled.approved(), by, signalled.reason(), now());
  }

  private void requirePendingApproval() {
    if (!approvalPending || decision != null) {
      throw new IllegalStateException(
          "no reboot approval is pending for "
              + progress.snapshot().dbInstanceId()
              + " (current step "
              + progress.currentStep()
              + ", status "
              + progress.snapshot().status()
              + ")");
    }
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static int majorVersion(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static String describe(List<String> resources) {
    return resources.isEmpty() ? "nothing" : String.join(", ", resources);
  }
}
