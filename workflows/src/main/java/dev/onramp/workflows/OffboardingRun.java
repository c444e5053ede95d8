package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.materialize.MaterializeRemoval;
import dev.onramp.activities.network.IngressRemoval;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.secrets.SecretRemoval;
import dev.onramp.activities.temporal.OnboardingRecord;
import dev.onramp.activities.temporal.OnboardingRecordRequest;
import dev.onramp.activities.temporal.OnboardingRun;
import dev.onramp.activities.upstream.UpstreamRemoval;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.verification.ScheduleRemoval;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One execution of an offboarding: the union of the onboarding runs' ledgers, then each part in
 * reverse order of onboarding, one outside system per part. A part whose system does not answer is
 * left over and the next part goes on.
 */
final class OffboardingRun {
  private static final Logger log = Workflow.getLogger(OffboardingRun.class);

  private final OffboardingRequest request;
  private final OffboardingActivities act;
  private final String region;
  private final String id;
  private final String target;
  private List<LedgerEntry> ledger;
  private List<String> othersOnInstance = List.of();
  private OnboardingRequest onboarding;
  private final OffboardingTracker progress;
  private final RemovalReport report;
  private final ParameterGroupRestore parameterGroup;

  OffboardingRun(
      OffboardingRequest request,
      OffboardingActivities act,
      OffboardingTracker progress,
      RebootApproval approval) {
    this.request = request;
    this.act = act;
    this.region = request.region();
    this.id = request.dbInstanceId();
    this.target = OffboardingWorkflows.target(request);
    this.progress = progress;
    this.report = new RemovalReport(progress, request);
    this.parameterGroup = new ParameterGroupRestore(request, act, progress, approval, report);
  }

  OffboardingResult all() {
    readLedger();
    removeSchedules();
    List<Removal> mz = removeMaterialize();
    removeUpstream(sourcesGone(mz));
    removeIngress();
    removeSecrets();
    parameterGroup.run(
        entries(ResourceKind.PARAMETER_GROUP_ASSOCIATION),
        entries(ResourceKind.PARAMETER_GROUP),
        othersOnInstance);
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
    if (record.runningTableChangeRunId() != null) {
      throw OnboardingFailures.nonRetryable(
          OffboardingWorkflows.ONBOARDING_RUNNING,
          "a table change of "
              + target
              + " is running ("
              + TableChangeWorkflows.workflowId(onboardingId)
              + "); let it end (onramp status "
              + TableChangeWorkflows.workflowId(onboardingId)
              + "), then offboard. Nothing was touched");
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
    othersOnInstance = record.otherOnboardedOnInstance();
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
              report.rerun("Temporal is reachable")
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
        x -> report.rerun("Materialize is reachable"));
  }

  /**
   * The sources Materialize no longer has: their replication slots must not outlive them. A source
   * still there (kept, or Materialize unreachable) still holds its slot, so the upstream is not
   * asked to drop it.
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
      report.record(act.upstream.removeUpstream(new UpstreamRemoval(upstreamTarget, all)));
    } catch (ActivityFailure f) {
      String why = report.unreachable(OffboardingPart.UPSTREAM, f);
      for (LedgerEntry e : upstream) {
        report.leftOver(e, why, report.rerun("the upstream database is reachable"));
      }
      for (LedgerEntry source : sources) {
        String slot = source.attribute("replicationSlot");
        report.record(
            new Removal(
                ResourceKind.MZ_SOURCE,
                source.identifier(),
                RemovalOutcome.LEFT_OVER,
                why
                    + "; its replication slot "
                    + slot
                    + " outlives the removed source and retains WAL until dropped: "
                    + report.rerun("the upstream database is reachable")
                    + ", or drop it there as an administrator: SELECT"
                    + " pg_drop_replication_slot("
                    + RemovalReport.sqlLiteral(slot)
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
    return UpstreamTarget.of(
        region, id, instance, SqlIdentifiers.parseIdentifier(request.database()), admin);
  }

  private void removeIngress() {
    List<LedgerEntry> rules = entries(ResourceKind.INGRESS_RULE);
    if (rules.isEmpty() || keptForOthers(rules, "the instance's ingress rule")) {
      return;
    }
    attempt(
        OffboardingPart.INGRESS,
        rules,
        () -> act.network.removeIngress(new IngressRemoval(region, rules)),
        x -> report.rerun("EC2 is reachable"));
  }

  private void removeSecrets() {
    List<LedgerEntry> secrets = entries(ResourceKind.REPLICATION_SECRET);
    if (keptForOthers(secrets, "the instance's replication password")) {
      return;
    }
    for (LedgerEntry e : secrets) {
      attempt(
          OffboardingPart.SECRET,
          List.of(e),
          () -> List.of(act.secrets.removeReplicationSecret(new SecretRemoval(region, e))),
          x -> report.rerun("Secrets Manager is reachable"));
    }
  }

  /**
   * Keeps what the instance's other onboarded databases use as well (their sources connect through
   * the same rule and log in with the same password); true when it did.
   */
  private boolean keptForOthers(List<LedgerEntry> entries, String what) {
    if (othersOnInstance.isEmpty()) {
      return false;
    }
    for (LedgerEntry e : entries) {
      report.record(
          Removal.of(
              e,
              RemovalOutcome.KEPT_IN_USE,
              what
                  + " is shared with the other onboarded databases of "
                  + id
                  + " ("
                  + String.join(", ", othersOnInstance)
                  + "); kept. Offboarding the last of them removes it"));
    }
    return true;
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
      report.record(removals);
      return removals;
    } catch (ActivityFailure f) {
      String why = report.unreachable(part, f);
      List<Removal> left = new ArrayList<>();
      for (LedgerEntry e : entries) {
        left.add(report.leftOver(e, why, howToFinish.apply(e)));
      }
      return left;
    }
  }

  /** The entries of these kinds, in the order of the kinds given. */
  private List<LedgerEntry> entries(ResourceKind... kinds) {
    List<LedgerEntry> out = new ArrayList<>();
    for (ResourceKind kind : kinds) {
      ledger.stream().filter(e -> e.kind() == kind).forEach(out::add);
    }
    return out;
  }
}
