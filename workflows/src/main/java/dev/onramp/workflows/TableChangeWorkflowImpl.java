package dev.onramp.workflows;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.materialize.SourceSyntax;
import dev.onramp.activities.materialize.SourceTableChange;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamTableChange;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.verification.ReverificationActivities;
import dev.onramp.activities.verification.ScheduleTablesChange;
import dev.onramp.workflows.tables.TableChangeAction;
import dev.onramp.workflows.tables.TableChangeOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * ADD: upstream first (the publication must carry a table before Materialize can reference it),
 * then the source's new relations. DROP: Materialize first (a table removed from the publication
 * under a running subsource is an irrecoverable source error, reference/materialize.md), then
 * upstream. Each activity is idempotent, so a failed run is finished by running it again.
 */
public class TableChangeWorkflowImpl implements TableChangeWorkflow {
  private final RdsActivities rds =
      Workflow.newActivityStub(
          RdsActivities.class, OnboardingActivities.call(OnboardingActivities.AWS_CALL_BOUND));
  private final UpstreamActivities upstream =
      Workflow.newActivityStub(
          UpstreamActivities.class,
          OnboardingActivities.call(OnboardingActivities.UPSTREAM_CALL_BOUND));
  private final MaterializeActivities materialize =
      Workflow.newActivityStub(
          MaterializeActivities.class,
          OnboardingActivities.call(OnboardingActivities.MATERIALIZE_CALL_BOUND));

  private final ReverificationActivities reverification =
      Workflow.newActivityStub(
          ReverificationActivities.class,
          OnboardingActivities.call(OnboardingActivities.MATERIALIZE_CALL_BOUND));

  /** Change id: the re-verification schedule is pointed at the table set after the change. */
  static final String RETARGET_SCHEDULE = "tables-retarget-schedule";

  private String progress = "starting";

  @Override
  public String progress() {
    return progress;
  }

  @Override
  public TableChangeResult change(TableChangeRequest input) {
    List<String> problems = input.problems();
    if (!problems.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST, new InvalidRequestException(problems).getMessage());
    }
    OnboardingRequest request = input.onboarding().withDefaults();
    TargetNames names = TargetNames.of(request);
    List<QualifiedName> tables =
        input.tables().stream().map(t -> SqlIdentifiers.parseQualified(t, "public")).toList();

    progress = "reading instance " + request.dbInstanceId();
    DbInstanceInfo instance = rds.describeInstance(request.region(), request.dbInstanceId());
    SecretRef admin =
        request.adminCredentials().kind() == SecretRef.Kind.RDS_MANAGED
            ? SecretRef.secretsManager(instance.masterUserSecretArn())
            : request.adminCredentials();
    UpstreamTarget target =
        UpstreamTarget.of(
            request.region(), request.dbInstanceId(), instance, names.database(), admin);
    progress = "reading Materialize's version";
    SourceSyntax syntax = materialize.describe().sourceSyntax();
    SourceSpec source =
        new SourceSpec(
            names.source(),
            names.cluster(),
            names.connection(),
            names.publication(),
            request.tables(),
            syntax);
    UpstreamTableChange upstreamChange =
        new UpstreamTableChange(
            target,
            names.publication(),
            names.replicationUser(),
            input.action(),
            tables,
            input.ledger());
    SourceTableChange sourceChange = new SourceTableChange(source, input.action(), tables);

    List<TableChangeOutcome> outcomes = new ArrayList<>();
    if (input.action() == TableChangeAction.ADD) {
      progress = "upstream: publication, replica identity, SELECT";
      TableChangeOutcome up = upstream.changeTables(upstreamChange);
      outcomes.add(up);
      progress = "Materialize: adding to source " + names.source() + " (" + syntax + ")";
      try {
        outcomes.add(materialize.changeSourceTables(sourceChange));
      } catch (ActivityFailure refused) {
        takeBack(upstreamChange, up);
        throw refused;
      }
    } else {
      progress = "Materialize: dropping from source " + names.source() + " (" + syntax + ")";
      outcomes.add(materialize.changeSourceTables(sourceChange));
      progress = "upstream: publication, replica identity, SELECT";
      outcomes.add(upstream.changeTables(upstreamChange));
    }
    retargetSchedule(request, input.action(), tables);
    progress = "done";
    List<LedgerEntry> ledger = new ArrayList<>();
    List<Removal> removals = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    for (TableChangeOutcome o : outcomes) {
      ledger.addAll(o.entries());
      removals.addAll(o.removals());
      changes.addAll(o.changes());
    }
    return new TableChangeResult(
        request.dbInstanceId(),
        names.database(),
        input.action(),
        tables.stream().map(QualifiedName::toString).toList(),
        ledger,
        removals,
        changes);
  }

  /**
   * Re-verification checks the tables its schedule's request names: after a change it must check
   * the new set, or a dropped table is reported missing from the publication (and a person told)
   * and an added one goes unchecked. Only a request naming its tables changes (schemas or all
   * tables cover what was added). Runs recorded before this change issue no command for it.
   */
  private void retargetSchedule(
      OnboardingRequest request, TableChangeAction action, List<QualifiedName> tables) {
    if (request.tables().mode() != TableSelection.Mode.TABLES
        || Workflow.getVersion(RETARGET_SCHEDULE, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return;
    }
    progress = "re-verification: checking the new table set";
    reverification.retargetSchedule(new ScheduleTablesChange(request, action, tables));
  }

  /**
   * Materialize refused the tables (a name taken, say): the tables this run added to the
   * publication leave it again, with their replica identity and SELECT put back as this run's
   * entries say, so a failed add leaves nothing behind that no ledger records. A table that was
   * published before may be what the source already ingests, so it stays as it is.
   */
  private void takeBack(UpstreamTableChange change, TableChangeOutcome up) {
    if (up.newlyPublished().isEmpty()) {
      return;
    }
    progress = "Materialize refused; taking back the upstream changes";
    List<LedgerEntry> ledger = new ArrayList<>(change.ledger());
    ledger.addAll(up.entries());
    upstream.changeTables(
        new UpstreamTableChange(
            change.target(),
            change.publication(),
            change.replicationUser(),
            TableChangeAction.DROP,
            up.newlyPublished(),
            ledger));
  }
}
