package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.materialize.MaterializeRemoval;
import dev.onramp.activities.network.IngressRemoval;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.ParameterGroupRemoval;
import dev.onramp.activities.secrets.SecretRemoval;
import dev.onramp.activities.temporal.OnboardingRecord;
import dev.onramp.activities.temporal.OnboardingRecordRequest;
import dev.onramp.activities.temporal.OnboardingRun;
import dev.onramp.activities.upstream.UpstreamRemoval;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.verification.ScheduleRemoval;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Offboarding as a durable workflow: reads the ledger of the target's onboardings, then removes in
 * reverse order, one part per outside system (schedule, Materialize, upstream, ingress, secret,
 * optionally the parameter group). A part whose system stays unreachable for {@code
 * unreachableAfter} is left over, with how to finish, and the other parts go on; a second run
 * finishes it (every removal is idempotent: what is gone is ALREADY_GONE).
 */
public class OffboardingWorkflowImpl implements OffboardingWorkflow {
  private static final Logger log = Workflow.getLogger(OffboardingWorkflowImpl.class);

  private final OffboardingTracker progress = new OffboardingTracker();
  private final RebootApproval approval = new RebootApproval();

  @Override
  public OffboardingResult offboard(OffboardingRequest input) {
    List<String> problems = OffboardingRequest.problems(input);
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OffboardingRequest request = input.withDefaults();
    progress.begin(request.dbInstanceId(), request.database());
    try {
      OffboardingResult result = new Run(request, new OffboardingActivities(request.waits())).all();
      progress.status(OnboardingStatus.COMPLETED);
      return result;
    } catch (RuntimeException e) {
      if (CancellationScope.current().isCancelRequested()) {
        progress.status(OnboardingStatus.CANCELLED);
        throw e instanceof CanceledFailure c ? c : new CanceledFailure("offboarding cancelled");
      }
      ApplicationFailure failure =
          e instanceof ApplicationFailure af
              ? af
              : OnboardingFailures.nonRetryable(
                  OnboardingFailures.INSTANCE_STATE,
                  "could not read the onboarding's record from Temporal: " + rootMessage(e),
                  e);
      progress.failed(failure.getOriginalMessage());
      log.warn("offboarding failed: {}", failure.getOriginalMessage());
      throw failure;
    }
  }

  @Override
  public OffboardingProgress progress() {
    return progress.snapshot();
  }

  @Override
  public RebootDecision approveReboot(String approver) {
    return approval.decide(true, approver, null);
  }

  @Override
  public void validateApproveReboot(String approver) {
    requirePendingApproval();
  }

  @Override
  public RebootDecision rejectReboot(String approver, String reason) {
    return approval.decide(false, approver, reason);
  }

  @Override
  public void validateRejectReboot(String approver, String reason) {
    requirePendingApproval();
  }

  @Override
  public void rebootDecision(RebootDecision signalled) {
    if (!approval.signal(signalled)) {
      log.warn("ignored a rebootDecision signal: no reboot approval is pending");
    }
  }

  private void requirePendingApproval() {
    if (!approval.awaitingDecision()) {
      OffboardingProgress p = progress.snapshot();
      throw new IllegalStateException(
          "no reboot approval is pending for the offboarding of "
              + p.dbInstanceId()
              + " (now: "
              + p.part()
              + ", status "
              + p.status()
              + ")");
    }
  }

  /** One execution: the ledger and what each part did with it. */
  private final class Run {
    private final OffboardingRequest request;
    private final OffboardingActivities act;
    private final String region;
    private final String id;
    private final String target;
    private List<LedgerEntry> ledger;
    private OnboardingRequest onboarding;

    Run(OffboardingRequest request, OffboardingActivities act) {
      this.request = request;
      this.act = act;
      this.region = request.region();
      this.id = request.dbInstanceId();
      this.target = OffboardingWorkflows.target(request);
    }

    OffboardingResult all() {
      readLedger();
      removeSchedules();
      List<Removal> mz = removeMaterialize();
      removeUpstream(sourcesGone(mz));
      removeIngress();
      removeSecrets();
      parameterGroup();
      List<String> leftovers = progress.leftovers();
      return new OffboardingResult(
          id, request.database(), progress.removals(), leftovers, leftovers.isEmpty());
    }

    /** The union of the ledgers of every onboarding run since the last complete offboarding. */
    private void readLedger() {
      progress.part(OffboardingPart.RECORD);
      OnboardingRecord record =
          act.record.onboardingRecord(new OnboardingRecordRequest(region, id, request.database()));
      String onboardingId = OnboardingWorkflows.workflowId(region, id, request.database());
      if (record.runningRunId() != null) {
        throw OnboardingFailures.nonRetryable(
            OffboardingWorkflows.ONBOARDING_RUNNING,
            "an onboarding of "
                + target
                + " is running ("
                + onboardingId
                + "); cancel it (onramp cancel "
                + target
                + ") or let it end, then offboard. Nothing was touched");
      }
      if (record.runs().isEmpty()) {
        throw OnboardingFailures.nonRetryable(
            OffboardingWorkflows.NOT_ONBOARDED,
            target
                + " was never onboarded: Temporal has no run of "
                + onboardingId
                + " since its last complete offboarding, so there is nothing onramp could"
                + " remove. Check the region, instance and database. Nothing was touched");
      }
      ledger = LedgerUnion.of(record.runs().stream().map(OnboardingRun::ledger).toList());
      OnboardingRun last = record.runs().get(record.runs().size() - 1);
      onboarding = last.request() == null ? null : last.request().withDefaults();
      log.info(
          "offboarding {}: {} ledger entries from {} run(s)",
          target,
          ledger.size(),
          record.runs().size());
    }

    private void removeSchedules() {
      for (LedgerEntry e : entries(ResourceKind.REVERIFICATION_SCHEDULE)) {
        attempt(
            OffboardingPart.SCHEDULE,
            List.of(e),
            () -> List.of(act.reverification.removeSchedule(new ScheduleRemoval(e))),
            x ->
                rerun("Temporal is reachable")
                    + " (or: temporal schedule delete -s '"
                    + x.identifier()
                    + "')");
      }
    }

    /** Source (its slot goes with it), connection, secret, cluster. */
    private List<Removal> removeMaterialize() {
      List<LedgerEntry> mz =
          entries(
              ResourceKind.MZ_SOURCE,
              ResourceKind.MZ_CONNECTION,
              ResourceKind.MZ_SECRET,
              ResourceKind.MZ_CLUSTER);
      if (mz.isEmpty()) {
        return List.of();
      }
      return attempt(
          OffboardingPart.MATERIALIZE,
          mz,
          () -> act.materialize.removeMaterialize(new MaterializeRemoval(mz)),
          x -> rerun("Materialize is reachable"));
    }

    /**
     * The sources Materialize no longer has: their replication slots must not outlive them. A
     * source still there (kept, or Materialize unreachable) still holds its slot, so the upstream
     * is not asked to drop it.
     */
    private List<LedgerEntry> sourcesGone(List<Removal> mz) {
      List<LedgerEntry> gone = new ArrayList<>();
      for (LedgerEntry source : entries(ResourceKind.MZ_SOURCE)) {
        boolean removed =
            mz.stream()
                .anyMatch(
                    r ->
                        r.kind() == ResourceKind.MZ_SOURCE
                            && r.identifier().equals(source.identifier())
                            && (r.outcome() == RemovalOutcome.REMOVED
                                || r.outcome() == RemovalOutcome.ALREADY_GONE));
        if (removed && source.attribute("replicationSlot") != null) {
          gone.add(source);
        }
      }
      return gone;
    }

    /** Grants, role, publication, replica identities; and the slots of removed sources. */
    private void removeUpstream(List<LedgerEntry> sources) {
      List<LedgerEntry> upstream =
          entries(
              ResourceKind.GRANTS,
              ResourceKind.REPLICATION_ROLE,
              ResourceKind.PUBLICATION,
              ResourceKind.REPLICA_IDENTITY);
      if (upstream.isEmpty() && sources.isEmpty()) {
        return;
      }
      List<LedgerEntry> all = new ArrayList<>(upstream);
      all.addAll(sources);
      progress.part(OffboardingPart.UPSTREAM);
      try {
        UpstreamTarget upstreamTarget = upstreamTarget();
        record(act.upstream.removeUpstream(new UpstreamRemoval(upstreamTarget, all)));
      } catch (ActivityFailure f) {
        String why = unreachable(OffboardingPart.UPSTREAM, f);
        for (LedgerEntry e : upstream) {
          leftOver(e, why, rerun("the upstream database is reachable"));
        }
        for (LedgerEntry source : sources) {
          String slot = source.attribute("replicationSlot");
          record(
              new Removal(
                  ResourceKind.MZ_SOURCE,
                  "replication slot " + slot,
                  RemovalOutcome.LEFT_OVER,
                  why
                      + "; the slot of removed source "
                      + source.identifier()
                      + " retains WAL until dropped: "
                      + rerun("the upstream database is reachable")
                      + ", or drop it there as an administrator: SELECT"
                      + " pg_drop_replication_slot("
                      + sqlLiteral(slot)
                      + ");"));
        }
      }
    }

    /** How to reach the database as its admin, as the onboarding did. */
    private UpstreamTarget upstreamTarget() {
      DbInstanceInfo instance = act.rds.describeInstance(region, id);
      SecretRef admin = onboarding == null ? SecretRef.rdsManaged() : onboarding.adminCredentials();
      if (admin.kind() == SecretRef.Kind.RDS_MANAGED) {
        if (instance.masterUserSecretArn() == null) {
          throw OnboardingFailures.nonRetryable(
              OnboardingFailures.SECRET_NOT_FOUND,
              "instance " + id + " no longer has an RDS-managed master user secret");
        }
        admin = SecretRef.secretsManager(instance.masterUserSecretArn());
      }
      return new UpstreamTarget(
          region,
          id,
          instance.endpointAddress(),
          instance.endpointPort(),
          SqlIdentifiers.parseIdentifier(request.database()),
          instance.masterUsername(),
          admin,
          "require");
    }

    private void removeIngress() {
      List<LedgerEntry> rules = entries(ResourceKind.INGRESS_RULE);
      if (rules.isEmpty()) {
        return;
      }
      attempt(
          OffboardingPart.INGRESS,
          rules,
          () -> act.network.removeIngress(new IngressRemoval(region, rules)),
          x -> rerun("EC2 is reachable"));
    }

    private void removeSecrets() {
      for (LedgerEntry e : entries(ResourceKind.REPLICATION_SECRET)) {
        attempt(
            OffboardingPart.SECRET,
            List.of(e),
            () -> List.of(act.secrets.removeReplicationSecret(new SecretRemoval(region, e))),
            x -> rerun("Secrets Manager is reachable"));
      }
    }

    /**
     * With {@code restoreParameterGroup}: the instance back on the group it used before (a reboot
     * through the request's gate), then the group onramp created deleted. Without: both kept.
     */
    private void parameterGroup() {
      List<LedgerEntry> associations = entries(ResourceKind.PARAMETER_GROUP_ASSOCIATION);
      List<LedgerEntry> groups = entries(ResourceKind.PARAMETER_GROUP);
      if (associations.isEmpty() && groups.isEmpty()) {
        return;
      }
      if (!request.restoresParameterGroup()) {
        for (LedgerEntry e : concat(associations, groups)) {
          if (e.outcome() == Outcome.REUSED) {
            record(
                Removal.of(
                    e,
                    RemovalOutcome.KEPT_NOT_OURS,
                    "onramp found it as it is (logical replication was already on); left in"
                        + " place"));
            continue;
          }
          record(
              Removal.of(
                  e,
                  RemovalOutcome.KEPT_AS_ASKED,
                  "kept: logical replication stays on; to put "
                      + id
                      + " back on the group it used before and delete onramp's (a reboot), run"
                      + " `onramp offboard "
                      + target
                      + " --restore-parameter-group`"));
        }
        return;
      }
      progress.part(OffboardingPart.PARAMETER_GROUP);
      String onrampGroup = groups.isEmpty() ? null : groups.get(0).identifier();
      List<LedgerEntry> pending = new ArrayList<>(concat(associations, groups));
      try {
        for (LedgerEntry association : associations) {
          record(restoreAssociation(association, onrampGroup));
          pending.remove(association);
        }
        for (LedgerEntry group : groups) {
          record(act.rds.removeParameterGroup(new ParameterGroupRemoval(region, id, group)));
          pending.remove(group);
        }
      } catch (ActivityFailure | ApplicationFailure f) {
        String why =
            f instanceof ActivityFailure af
                ? unreachable(OffboardingPart.PARAMETER_GROUP, af)
                : ((ApplicationFailure) f).getOriginalMessage();
        for (LedgerEntry e : pending) {
          leftOver(
              e,
              why,
              "run `onramp offboard "
                  + target
                  + " --restore-parameter-group` again once that is resolved");
        }
      }
    }

    private Removal restoreAssociation(LedgerEntry association, String onrampGroup) {
      String previous = association.previous();
      if (association.outcome() != Outcome.CHANGED || previous == null) {
        return Removal.of(
            association,
            RemovalOutcome.KEPT_NOT_OURS,
            "onramp did not change the instance's parameter group; left as it is");
      }
      DbInstanceInfo instance = act.rds.describeInstance(region, id);
      String current = instance.parameterGroup();
      String applyStatus =
          instance.parameterGroups().isEmpty()
              ? null
              : instance.parameterGroups().get(0).applyStatus();
      if (previous.equals(current) && !"pending-reboot".equals(applyStatus)) {
        return Removal.of(
            association, RemovalOutcome.ALREADY_GONE, id + " is already on " + previous);
      }
      if (!previous.equals(current) && onrampGroup != null && !onrampGroup.equals(current)) {
        return Removal.of(
            association,
            RemovalOutcome.KEPT_CHANGED,
            "someone put "
                + id
                + " on "
                + current
                + " since onboarding (onramp set "
                + onrampGroup
                + "); left as it is");
      }
      if (!previous.equals(current)) {
        act.rds.convergeAssociation(new AssociationRequest(region, id, previous, false));
        progress.waiting(awsWait(id + " to show " + previous + " and become available"));
        act.rdsPoll.checkAssociated(region, id, previous);
      }
      String passed = passGate(instance, previous);
      Instant requestedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis());
      act.rds.reboot(region, id, requestedAt);
      progress.waiting(awsWait(id + " to restart and " + previous + " to be in-sync"));
      act.rdsPoll.checkRebooted(region, id, previous, requestedAt);
      progress.waiting(null);
      return Removal.of(
          association,
          RemovalOutcome.RESTORED,
          id + " is back on " + previous + " (rebooted: " + passed + ")");
    }

    /**
     * The onboarding's gate (RebootGate) with the offboarding's policy and waits; returns what let
     * the reboot through.
     */
    private String passGate(DbInstanceInfo instance, String group) {
      RebootGate gate =
          new RebootGate(
              new RebootGate.Settings(
                  request.rebootPolicy(),
                  request.waits().approvalTimeout(),
                  region,
                  id,
                  instance.preferredMaintenanceWindow(),
                  true),
              act.rds,
              approval,
              new RebootGate.Listener() {
                @Override
                public void waiting(OnboardingStatus status, String what) {
                  progress.status(status);
                  progress.waiting(what);
                }

                @Override
                public void resumed() {
                  progress.status(OnboardingStatus.RUNNING);
                  progress.waiting(null);
                }
              });
      return gate.pass(null, 0, group).how();
    }

    /**
     * Runs one part's removal call; when its system stays unreachable (or refuses), the entries are
     * left over with the reason and how to finish, and the caller goes on with the next part.
     */
    private List<Removal> attempt(
        OffboardingPart part,
        List<LedgerEntry> entries,
        Supplier<List<Removal>> call,
        Function<LedgerEntry, String> howToFinish) {
      progress.part(part);
      try {
        List<Removal> removals = call.get();
        record(removals);
        return removals;
      } catch (ActivityFailure f) {
        String why = unreachable(part, f);
        List<Removal> left = new ArrayList<>();
        for (LedgerEntry e : entries) {
          left.add(leftOver(e, why, howToFinish.apply(e)));
        }
        return left;
      }
    }

    private Removal leftOver(LedgerEntry e, String why, String howToFinish) {
      Removal r = Removal.of(e, RemovalOutcome.LEFT_OVER, why + "; " + howToFinish);
      record(r);
      return r;
    }

    private void record(List<Removal> removals) {
      removals.forEach(this::record);
    }

    private void record(Removal r) {
      progress.removed(r, r.settled() ? null : describe(r));
    }

    private String rerun(String when) {
      return "run `onramp offboard " + target + "` again when " + when;
    }

    private String awsWait(String what) {
      return what
          + " (checking every "
          + HumanDurations.format(request.waits().awsPollInterval())
          + ", at most "
          + HumanDurations.format(request.waits().awsMaxWait())
          + ")";
    }

    /** The entries of these kinds, in the order of the kinds given. */
    private List<LedgerEntry> entries(ResourceKind... kinds) {
      List<LedgerEntry> out = new ArrayList<>();
      for (ResourceKind kind : kinds) {
        ledger.stream().filter(e -> e.kind() == kind).forEach(out::add);
      }
      return out;
    }

    /** Why a part's call gave up, in a person's terms. */
    private String unreachable(OffboardingPart part, ActivityFailure f) {
      Throwable cause = f.getCause();
      if (cause instanceof TimeoutFailure timeout) {
        Throwable last = timeout.getCause();
        return part.system()
            + " kept failing for "
            + HumanDurations.format(request.waits().unreachableAfter())
            + (last == null ? "" : " (last error: " + rootMessage(last) + ")");
      }
      if (cause instanceof ApplicationFailure app && !app.isNonRetryable()) {
        return part.system()
            + " kept failing for "
            + HumanDurations.format(request.waits().unreachableAfter())
            + " (last error: "
            + app.getOriginalMessage()
            + ")";
      }
      return part.system() + " refused: " + rootMessage(cause == null ? f : cause);
    }
  }

  /** A leftover as a line of the report: {@code mz source shop_source: <what to do>}. */
  static String describe(Removal r) {
    return r.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + " "
        + r.identifier()
        + ": "
        + r.message();
  }

  private static List<LedgerEntry> concat(List<LedgerEntry> a, List<LedgerEntry> b) {
    List<LedgerEntry> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String sqlLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure af) {
      return af.getOriginalMessage();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
