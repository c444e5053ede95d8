package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.ResourceKind;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code resource-ledger} change (docs/versioning.md): new runs converge every resource with
 * one call each and keep its typed outcome; runs from before it still replay on the old calls.
 */
class LedgerWorkflowTest extends WorkflowTestSupport {

  @Test
  void newRunsCallTheConvergeMethodsAndNotTheOldOnes() {
    result(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(world.calls)
        .containsSubsequence(
            "rds.planParameterGroup",
            "rds.convergeParameterGroup:CREATE",
            "rds.convergeAssociation:onramp-postgres16-db-1",
            "rds.reboot",
            "secrets.convergeReplicationSecret",
            "upstream.convergeUpstream",
            "network.convergeIngress",
            "materialize.convergeCluster",
            "materialize.convergeSecret",
            "materialize.convergeConnection",
            "materialize.convergeSource",
            "materialize.awaitSnapshot",
            "reverification.convergeSchedule")
        .noneMatch(
            c ->
                c.startsWith("rds.prepareParameterGroup")
                    || c.startsWith("rds.associateParameterGroup")
                    || c.startsWith("secrets.ensure")
                    || c.startsWith("upstream.ensure")
                    || c.startsWith("network.authorizeIngress")
                    || c.startsWith("materialize.ensure")
                    || c.startsWith("reverification.ensure"));
    List<HistoryEvent> events = client.fetchHistory("onboard/us-east-1/db-1/shop").getEvents();
    assertThat(markers(events))
        .anyMatch(details -> details.contains(OnboardingWorkflowImpl.RESOURCE_LEDGER_CHANGE));
  }

  @Test
  void theResultAndTheProgressCarryOneEntryPerResourceInConvergeOrder() {
    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    OnboardingResult result = result(wf);

    assertThat(result.ledger())
        .extracting(LedgerEntry::kind, LedgerEntry::identifier, LedgerEntry::outcome)
        .containsExactly(
            tuple(ResourceKind.PARAMETER_GROUP, "onramp-postgres16-db-1", Outcome.CREATED),
            tuple(ResourceKind.PARAMETER_GROUP_ASSOCIATION, "db-1", Outcome.CHANGED),
            tuple(
                ResourceKind.REPLICATION_SECRET,
                "onramp/us-east-1/db-1/materialize",
                Outcome.CREATED),
            tuple(ResourceKind.PUBLICATION, "mz_source", Outcome.CREATED),
            tuple(ResourceKind.REPLICATION_ROLE, "materialize", Outcome.CREATED),
            tuple(ResourceKind.INGRESS_RULE, "sg-1 tcp/5432 from 203.0.113.10/32", Outcome.CREATED),
            tuple(ResourceKind.INGRESS_RULE, "sg-1 tcp/5432 from 203.0.113.11/32", Outcome.CREATED),
            tuple(ResourceKind.MZ_CLUSTER, "onramp_ingest", Outcome.CREATED),
            tuple(ResourceKind.MZ_SECRET, "shop_password", Outcome.CREATED),
            tuple(ResourceKind.MZ_CONNECTION, "shop_connection", Outcome.CREATED),
            tuple(ResourceKind.MZ_SOURCE, "shop_source", Outcome.CREATED),
            tuple(
                ResourceKind.REVERIFICATION_SCHEDULE,
                "verify/us-east-1/db-1/shop",
                Outcome.CREATED));
    LedgerEntry association = result.ledger().get(1);
    assertThat(association.previous()).isEqualTo("default.postgres16");
    assertThat(result.ledger().get(2).attribute("arn"))
        .endsWith("onramp/us-east-1/db-1/materialize");
    assertThat(wf.progress().ledger()).isEqualTo(result.ledger());
    // createdResources: exactly the CREATED entries; the changed association is not "created".
    assertThat(result.createdResources())
        .hasSize(11)
        .contains("parameter group onramp-postgres16-db-1", "Materialize source shop_source")
        .noneMatch(r -> r.contains("association"));
    assertThat(wf.progress().createdResources()).isEqualTo(result.createdResources());
  }

  @Test
  void whatExistedIsRecordedAsReusedAndNeverCalledCreated() {
    world.materializeObjects.add("cluster onramp_ingest");
    world.upstreamObjects.add("publication mz_source");
    world.logicalReplicationOn = true;
    world.parameterGroup = "custom-logical";
    world.groupSetsLogical.put("custom-logical", true);
    world.groupMembers.put("custom-logical", new java.util.HashSet<>(List.of("db-1")));

    OnboardingWorkflow wf = start(request(RebootPolicy.IMMEDIATE));
    OnboardingResult result = result(wf);

    assertThat(result.ledger())
        .filteredOn(e -> e.outcome() == Outcome.REUSED)
        .extracting(LedgerEntry::kind, LedgerEntry::identifier)
        .containsExactly(
            tuple(ResourceKind.PARAMETER_GROUP, "custom-logical"),
            tuple(ResourceKind.PUBLICATION, "mz_source"),
            tuple(ResourceKind.MZ_CLUSTER, "onramp_ingest"));
    assertThat(result.createdResources())
        .noneMatch(r -> r.contains("mz_source") || r.contains("onramp_ingest"))
        .contains("replication role materialize");
    assertThat(wf.progress().steps())
        .noneMatch(s -> s.message() != null && s.message().contains("created cluster"));
  }

  @Test
  void aSecondRunOfTheSameTargetCreatesNothing() {
    result(start(request(RebootPolicy.IMMEDIATE)));

    OnboardingResult again = result(start(request(RebootPolicy.IMMEDIATE)));

    assertThat(again.createdResources()).isEmpty();
    assertThat(again.ledger())
        .isNotEmpty()
        .allMatch(e -> e.outcome() == Outcome.REUSED, "every entry REUSED");
  }

  private static List<String> markers(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().toString())
        .toList();
  }

  private static List<String> activityTypes(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  /**
   * {@code onramp show}: a completed run's ledger from its result, a cancelled one's from progress.
   */
  @Test
  void theClientReadsTheLedgerOfACompletedAndOfACancelledRun() {
    var onboardings = new dev.onramp.workflows.client.OnboardingClient(client, TASK_QUEUE);
    OnboardingRequest other =
        OnboardingRequest.of("us-east-1", "db-1", "other", TableSelection.tables("orders"))
            .withRebootPolicy(RebootPolicy.APPROVAL);
    OnboardingWorkflow wf = start(other);
    awaitStatus(wf, OnboardingStatus.WAITING_FOR_APPROVAL);
    WorkflowStub.fromTyped(wf).cancel();
    for (int i = 0; i < 100 && wf.progress().status() != OnboardingStatus.CANCELLED; i++) {
      env.sleep(java.time.Duration.ofSeconds(1));
    }
    var cancelled = onboardings.ledger("onboard/us-east-1/db-1/other");
    assertThat(cancelled.status()).isEqualTo("CANCELED");
    assertThat(cancelled.ledger())
        .extracting(LedgerEntry::kind)
        .containsExactly(ResourceKind.PARAMETER_GROUP, ResourceKind.PARAMETER_GROUP_ASSOCIATION);

    OnboardingResult done = result(start(request(RebootPolicy.IMMEDIATE)));
    var completed = onboardings.ledger("onboard/us-east-1/db-1/shop");
    assertThat(completed.status()).isEqualTo("COMPLETED");
    assertThat(completed.ledger()).isEqualTo(done.ledger()).isNotEmpty();
  }

  /** A history from before the change has no marker: replaying it takes the old calls. */
  @Test
  void runsFromBeforeTheChangeKeepTheOldCalls() throws Exception {
    Path old =
        ReplayCorpusTest.histories()
            .filter(p -> p.toString().contains("egress-and-schedule-1"))
            .filter(p -> p.getFileName().toString().equals("default-group-immediate.json"))
            .findFirst()
            .orElseThrow();
    var history = ReplayCorpusTest.load(old);
    assertThat(markers(history.getEvents()))
        .noneMatch(d -> d.contains(OnboardingWorkflowImpl.RESOURCE_LEDGER_CHANGE));
    assertThat(activityTypes(history.getEvents()))
        .contains("PrepareParameterGroup", "EnsureSource")
        .doesNotContain("ConvergeParameterGroup", "ConvergeSource");

    WorkflowReplayer.replayWorkflowExecution(
        ReplayCorpusTest.load(old), OnboardingWorkflowImpl.class);
  }
}
