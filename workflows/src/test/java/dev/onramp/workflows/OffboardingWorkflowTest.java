package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.MaterializeRemoval;
import dev.onramp.activities.network.IngressRemoval;
import dev.onramp.activities.network.NetworkActivities;
import dev.onramp.activities.rds.AssociationRequest;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.InstanceState;
import dev.onramp.activities.rds.ParameterGroupRemoval;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.rds.RebootOutcome;
import dev.onramp.activities.secrets.SecretRemoval;
import dev.onramp.activities.secrets.SecretsActivities;
import dev.onramp.activities.temporal.OnboardingRecord;
import dev.onramp.activities.temporal.OnboardingRecordActivities;
import dev.onramp.activities.temporal.OnboardingRun;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamRemoval;
import dev.onramp.activities.verification.ReverificationActivities;
import dev.onramp.activities.verification.ScheduleRemoval;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The offboarding's walk over the ledger with mocked activities: order, what each removal is given,
 * a part whose system stays down, the never-onboarded refusal and the parameter group's restore.
 */
class OffboardingWorkflowTest {
  private static final String TASK_QUEUE = "offboarding-test";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  final OnboardingRecordActivities record =
      mock(OnboardingRecordActivities.class, withSettings().withoutAnnotations());
  final ReverificationActivities reverification =
      mock(ReverificationActivities.class, withSettings().withoutAnnotations());
  final MaterializeActivities materialize =
      mock(MaterializeActivities.class, withSettings().withoutAnnotations());
  final UpstreamActivities upstream =
      mock(UpstreamActivities.class, withSettings().withoutAnnotations());
  final NetworkActivities network =
      mock(NetworkActivities.class, withSettings().withoutAnnotations());
  final SecretsActivities secrets =
      mock(SecretsActivities.class, withSettings().withoutAnnotations());
  final RdsActivities rds = mock(RdsActivities.class, withSettings().withoutAnnotations());

  static final LedgerEntry GROUP =
      LedgerEntry.created(ResourceKind.PARAMETER_GROUP, "onramp-postgres16-db-1");
  static final LedgerEntry ASSOCIATION =
      LedgerEntry.changed(ResourceKind.PARAMETER_GROUP_ASSOCIATION, "db-1", "default.postgres16");
  static final LedgerEntry RULE =
      LedgerEntry.created(ResourceKind.INGRESS_RULE, "sg-1 tcp/5432 from 10.0.0.1/32")
          .withAttributes(Map.of("securityGroupId", "sg-1", "port", "5432", "cidr", "10.0.0.1/32"));
  static final LedgerEntry SECRET =
      LedgerEntry.created(ResourceKind.REPLICATION_SECRET, "onramp/us-east-1/db-1/materialize");
  static final LedgerEntry IDENTITY =
      LedgerEntry.changed(ResourceKind.REPLICA_IDENTITY, "public.events", "d");
  static final LedgerEntry PUBLICATION = LedgerEntry.created(ResourceKind.PUBLICATION, "mz_source");
  static final LedgerEntry ROLE = LedgerEntry.created(ResourceKind.REPLICATION_ROLE, "materialize");
  static final LedgerEntry GRANTS =
      LedgerEntry.changed(ResourceKind.GRANTS, "materialize on shop", "");
  static final LedgerEntry CLUSTER = LedgerEntry.reused(ResourceKind.MZ_CLUSTER, "ingest");
  static final LedgerEntry MZ_SECRET = LedgerEntry.created(ResourceKind.MZ_SECRET, "shop_password");
  static final LedgerEntry CONNECTION =
      LedgerEntry.created(ResourceKind.MZ_CONNECTION, "shop_connection");
  static final LedgerEntry SOURCE =
      LedgerEntry.created(ResourceKind.MZ_SOURCE, "shop_source")
          .withAttributes(Map.of("replicationSlot", "materialize_abc"));
  static final LedgerEntry SCHEDULE =
      LedgerEntry.created(ResourceKind.REVERIFICATION_SCHEDULE, "verify/us-east-1/db-1/shop");

  static final List<LedgerEntry> FIRST_RUN =
      List.of(
          GROUP,
          ASSOCIATION,
          IDENTITY,
          PUBLICATION,
          ROLE,
          GRANTS,
          RULE,
          SECRET,
          CLUSTER,
          MZ_SECRET,
          CONNECTION,
          SOURCE,
          SCHEDULE);

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setInitialTimeMillis(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli())
                .build());
    for (String name : OnboardingWorkflows.SEARCH_ATTRIBUTE_NAMES) {
      env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(OffboardingWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        record, reverification, materialize, upstream, network, secrets, rds);
    env.start();
    client = env.getWorkflowClient();

    when(reverification.removeSchedule(any()))
        .thenAnswer(i -> removed(i.<ScheduleRemoval>getArgument(0).entry()));
    when(materialize.removeMaterialize(any()))
        .thenAnswer(i -> removedAll(i.<MaterializeRemoval>getArgument(0).entries()));
    // As the upstream removes them: its own entries, and one line per dropped slot.
    when(upstream.removeUpstream(any()))
        .thenAnswer(
            i ->
                i.<UpstreamRemoval>getArgument(0).entries().stream()
                    .map(
                        e ->
                            e.kind() == ResourceKind.MZ_SOURCE
                                ? new Removal(
                                    e.kind(),
                                    "replication slot " + e.attribute("replicationSlot"),
                                    RemovalOutcome.REMOVED,
                                    "dropped")
                                : removed(e))
                    .toList());
    when(network.removeIngress(any()))
        .thenAnswer(i -> removedAll(i.<IngressRemoval>getArgument(0).entries()));
    when(secrets.removeReplicationSecret(any()))
        .thenAnswer(i -> removed(i.<SecretRemoval>getArgument(0).entry()));
    when(rds.removeParameterGroup(any()))
        .thenAnswer(i -> removed(i.<ParameterGroupRemoval>getArgument(0).entry()));
    when(rds.describeInstance(anyString(), anyString())).thenReturn(instance(GROUP.identifier()));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void walksTheUnionOfTheRunsLedgersInReverseAndReportsEveryEntry() throws IOException {
    // The re-run found everything the first run created: REUSED must not hide CREATED.
    List<LedgerEntry> rerun =
        FIRST_RUN.stream()
            .map(e -> new LedgerEntry(e.kind(), e.identifier(), Outcome.REUSED, null, Map.of()))
            .toList();
    onboarded(FIRST_RUN, rerun);

    OffboardingRequest request = OffboardingRequest.of("us-east-1", "db-1", "shop");
    OffboardingResult result = offboard(request);
    record("complete-walk", request);

    assertThat(result.complete()).isTrue();
    assertThat(result.leftovers()).isEmpty();
    InOrder order = inOrder(reverification, materialize, upstream, network, secrets, rds);
    order.verify(reverification).removeSchedule(new ScheduleRemoval(SCHEDULE));
    order
        .verify(materialize)
        .removeMaterialize(new MaterializeRemoval(List.of(SOURCE, CONNECTION, MZ_SECRET, CLUSTER)));
    ArgumentCaptor<UpstreamRemoval> up = ArgumentCaptor.forClass(UpstreamRemoval.class);
    order.verify(upstream).removeUpstream(up.capture());
    order.verify(network).removeIngress(new IngressRemoval("us-east-1", List.of(RULE)));
    order.verify(secrets).removeReplicationSecret(new SecretRemoval("us-east-1", SECRET));
    // Upstream: grants, role, publication, replica identity (with the first run's previous), and
    // the removed source's entry for its slot.
    assertThat(up.getValue().entries())
        .containsExactly(GRANTS, ROLE, PUBLICATION, IDENTITY, SOURCE);
    assertThat(up.getValue().target().host()).isEqualTo("db-1.example");
    assertThat(up.getValue().target().adminCredentials())
        .isEqualTo(SecretRef.secretsManager("arn:master"));
    // Not asked to restore the parameter group: kept, and that is settled.
    verify(rds, never()).convergeAssociation(any());
    verify(rds, never()).removeParameterGroup(any());
    assertThat(result.removals())
        .filteredOn(r -> r.outcome() == RemovalOutcome.KEPT_AS_ASKED)
        .extracting(Removal::kind)
        .containsExactly(ResourceKind.PARAMETER_GROUP_ASSOCIATION, ResourceKind.PARAMETER_GROUP);
    // One line per entry, and one for the source's slot.
    assertThat(result.removals()).hasSize(FIRST_RUN.size() + 1);
  }

  @Test
  void anUnreachableUpstreamLeavesItsPartOverWithHowToFinishAndTheOtherPartsFinish()
      throws IOException {
    onboarded(FIRST_RUN);
    doThrow(ApplicationFailure.newFailure("Connection to db-1.example:5432 refused", "Upstream"))
        .when(upstream)
        .removeUpstream(any());

    OffboardingRequest request =
        OffboardingRequest.of("us-east-1", "db-1", "shop")
            .withWaits(new OffboardingWaits(Duration.ofMinutes(2), null, null, null));
    OffboardingResult result = offboard(request);
    record("upstream-unreachable", request);

    assertThat(result.complete()).isFalse();
    verify(network).removeIngress(any());
    verify(secrets).removeReplicationSecret(any());
    assertThat(result.removals())
        .filteredOn(r -> r.outcome() == RemovalOutcome.LEFT_OVER)
        .extracting(Removal::kind)
        .containsExactly(
            ResourceKind.GRANTS,
            ResourceKind.REPLICATION_ROLE,
            ResourceKind.PUBLICATION,
            ResourceKind.REPLICA_IDENTITY,
            ResourceKind.MZ_SOURCE);
    assertThat(result.leftovers())
        .hasSize(5)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("kept failing for 2m")
                    .contains("Connection to db-1.example:5432 refused")
                    .contains("run `onramp offboard us-east-1/db-1/shop` again when"));
    assertThat(result.leftovers().get(4))
        .startsWith("mz source shop_source:")
        .contains("its replication slot materialize_abc outlives the removed source")
        .contains("SELECT pg_drop_replication_slot('materialize_abc');");
  }

  @Test
  void aSourceMaterializeStillHasKeepsItsSlot() {
    onboarded(FIRST_RUN);
    doThrow(ApplicationFailure.newFailure("connection refused", "Materialize"))
        .when(materialize)
        .removeMaterialize(any());

    OffboardingResult result =
        offboard(
            OffboardingRequest.of("us-east-1", "db-1", "shop")
                .withWaits(new OffboardingWaits(Duration.ofMinutes(1), null, null, null)));

    ArgumentCaptor<UpstreamRemoval> up = ArgumentCaptor.forClass(UpstreamRemoval.class);
    verify(upstream).removeUpstream(up.capture());
    assertThat(up.getValue().entries()).doesNotContain(SOURCE);
    assertThat(result.complete()).isFalse();
    assertThat(result.leftovers())
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).contains("again when Materialize is reachable"));
  }

  @Test
  void restoresThePreviousParameterGroupThroughARebootThenDeletesOnrampsGroup() throws IOException {
    onboarded(FIRST_RUN);
    when(rds.describeInstance(anyString(), anyString())).thenReturn(instance(GROUP.identifier()));
    when(rds.convergeAssociation(any()))
        .thenReturn(
            LedgerEntry.changed(
                ResourceKind.PARAMETER_GROUP_ASSOCIATION, "db-1", GROUP.identifier()));
    when(rds.checkAssociated(anyString(), anyString(), anyString()))
        .thenReturn(new InstanceState("available", "default.postgres16", "pending-reboot"));
    when(rds.reboot(anyString(), anyString(), any())).thenReturn(RebootOutcome.REBOOTED);
    when(rds.checkRebooted(anyString(), anyString(), anyString(), any()))
        .thenReturn(new InstanceState("available", "default.postgres16", "in-sync"));

    OffboardingRequest request =
        OffboardingRequest.of("us-east-1", "db-1", "shop")
            .withRestoreParameterGroup(true, RebootPolicy.IMMEDIATE);
    OffboardingResult result = offboard(request);
    record("restore-immediate", request);

    assertThat(result.complete()).isTrue();
    InOrder order = inOrder(rds);
    order
        .verify(rds)
        .convergeAssociation(
            new AssociationRequest("us-east-1", "db-1", "default.postgres16", false));
    order.verify(rds).checkAssociated("us-east-1", "db-1", "default.postgres16");
    order.verify(rds).reboot(eq("us-east-1"), eq("db-1"), any());
    order.verify(rds).checkRebooted(eq("us-east-1"), eq("db-1"), eq("default.postgres16"), any());
    order.verify(rds).removeParameterGroup(new ParameterGroupRemoval("us-east-1", "db-1", GROUP));
    assertThat(result.removals())
        .filteredOn(r -> r.kind() == ResourceKind.PARAMETER_GROUP_ASSOCIATION)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(RemovalOutcome.RESTORED));
  }

  @Test
  void theRestoringRebootWaitsForApprovalUnderTheApprovalPolicy() throws IOException {
    onboarded(FIRST_RUN);
    stubRestore();
    OffboardingRequest request =
        OffboardingRequest.of("us-east-1", "db-1", "shop")
            .withRestoreParameterGroup(true, RebootPolicy.APPROVAL);
    OffboardingWorkflow wf =
        client.newWorkflowStub(
            OffboardingWorkflow.class, OffboardingWorkflows.options(request, TASK_QUEUE));
    WorkflowClient.start(wf::offboard, request);

    OffboardingProgress waiting = null;
    for (int i = 0;
        i < 100 && (waiting == null || waiting.status() != OnboardingStatus.WAITING_FOR_APPROVAL);
        i++) {
      env.sleep(Duration.ofSeconds(10));
      waiting = wf.progress();
    }
    assertThat(waiting.status()).isEqualTo(OnboardingStatus.WAITING_FOR_APPROVAL);
    assertThat(waiting.waitingFor()).contains("approval to reboot db-1");
    verify(rds, never()).reboot(anyString(), anyString(), any());

    wf.approveReboot("alice");
    OffboardingResult result = WorkflowStub.fromTyped(wf).getResult(OffboardingResult.class);
    record("restore-approved", request);

    assertThat(result.complete()).isTrue();
    assertThat(result.removals())
        .filteredOn(r -> r.kind() == ResourceKind.PARAMETER_GROUP_ASSOCIATION)
        .singleElement()
        .satisfies(r -> assertThat(r.message()).contains("reboot approved by alice"));
  }

  @Test
  void aRejectedRebootLeavesTheGroupOverWithHowToFinish() throws IOException {
    onboarded(FIRST_RUN);
    stubRestore();
    OffboardingRequest request =
        OffboardingRequest.of("us-east-1", "db-1", "shop")
            .withRestoreParameterGroup(true, RebootPolicy.APPROVAL);
    OffboardingWorkflow wf =
        client.newWorkflowStub(
            OffboardingWorkflow.class, OffboardingWorkflows.options(request, TASK_QUEUE));
    WorkflowClient.start(wf::offboard, request);
    for (int i = 0;
        i < 100 && wf.progress().status() != OnboardingStatus.WAITING_FOR_APPROVAL;
        i++) {
      env.sleep(Duration.ofSeconds(10));
    }

    wf.rejectReboot("bob", "peak hours");
    OffboardingResult result = WorkflowStub.fromTyped(wf).getResult(OffboardingResult.class);
    record("restore-rejected", request);

    assertThat(result.complete()).isFalse();
    verify(rds, never()).reboot(anyString(), anyString(), any());
    assertThat(result.leftovers())
        .hasSize(2)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("rejected by bob: peak hours")
                    .contains("--restore-parameter-group` again"));
  }

  private void stubRestore() {
    when(rds.convergeAssociation(any()))
        .thenReturn(
            LedgerEntry.changed(
                ResourceKind.PARAMETER_GROUP_ASSOCIATION, "db-1", GROUP.identifier()));
    when(rds.checkAssociated(anyString(), anyString(), anyString()))
        .thenReturn(new InstanceState("available", "default.postgres16", "pending-reboot"));
    when(rds.reboot(anyString(), anyString(), any())).thenReturn(RebootOutcome.REBOOTED);
    when(rds.checkRebooted(anyString(), anyString(), anyString(), any()))
        .thenReturn(new InstanceState("available", "default.postgres16", "in-sync"));
  }

  @Test
  void whatTheInstancesOtherOnboardedDatabasesUseIsKept() {
    onboarded(FIRST_RUN);
    OnboardingRecord mine = record.onboardingRecord(null);
    when(record.onboardingRecord(any()))
        .thenReturn(
            new OnboardingRecord(mine.runs(), null, null, List.of("onboard/us-east-1/db-1/crm")));
    when(rds.describeInstance(anyString(), anyString())).thenReturn(instance(GROUP.identifier()));

    OffboardingResult result =
        offboard(
            OffboardingRequest.of("us-east-1", "db-1", "shop")
                .withRestoreParameterGroup(true, RebootPolicy.IMMEDIATE));

    verify(rds, never()).convergeAssociation(any());
    verify(rds, never()).reboot(anyString(), anyString(), any());
    verify(rds, never()).removeParameterGroup(any());
    verify(network, never()).removeIngress(any());
    verify(secrets, never()).removeReplicationSecret(any());
    assertThat(result.removals())
        .filteredOn(
            r ->
                r.kind() == ResourceKind.INGRESS_RULE
                    || r.kind() == ResourceKind.REPLICATION_SECRET)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(RemovalOutcome.KEPT_IN_USE);
              assertThat(r.message()).contains("onboard/us-east-1/db-1/crm");
            });
    assertThat(result.complete()).isFalse();
    assertThat(result.leftovers())
        .hasSize(2)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("onboard/us-east-1/db-1/crm")
                    .contains("offboard them first")
                    .contains("--restore-parameter-group` again"));
  }

  @Test
  void aGroupSomeoneElseAssociatedSinceIsKeptAndReported() {
    onboarded(FIRST_RUN);
    when(rds.describeInstance(anyString(), anyString())).thenReturn(instance("team-tuned"));

    OffboardingResult result =
        offboard(
            OffboardingRequest.of("us-east-1", "db-1", "shop")
                .withRestoreParameterGroup(true, RebootPolicy.IMMEDIATE));

    verify(rds, never()).convergeAssociation(any());
    verify(rds, never()).reboot(anyString(), anyString(), any());
    assertThat(result.removals())
        .filteredOn(r -> r.kind() == ResourceKind.PARAMETER_GROUP_ASSOCIATION)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome()).isEqualTo(RemovalOutcome.KEPT_CHANGED);
              assertThat(r.message()).contains("team-tuned");
            });
  }

  @Test
  void aTargetNeverOnboardedFailsClearlyAndTouchesNothing() throws IOException {
    when(record.onboardingRecord(any())).thenReturn(new OnboardingRecord(List.of(), null));
    OffboardingRequest request = OffboardingRequest.of("us-east-1", "db-9", "shop");

    assertThatThrownBy(() -> offboard(request))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("us-east-1/db-9/shop was never onboarded")
        .hasMessageContaining("Nothing was touched");
    record("never-onboarded", request);
    verifyNothingTouched();
  }

  @Test
  void aRunningOnboardingIsRefused() {
    when(record.onboardingRecord(any())).thenReturn(new OnboardingRecord(List.of(), "run-7"));

    assertThatThrownBy(() -> offboard(OffboardingRequest.of("us-east-1", "db-1", "shop")))
        .rootCause()
        .hasMessageContaining("an onboarding of us-east-1/db-1/shop is running")
        .hasMessageContaining("onramp cancel us-east-1/db-1/shop");
    verifyNothingTouched();
  }

  @Test
  void aRunningTableChangeIsRefused() {
    when(record.onboardingRecord(any()))
        .thenReturn(new OnboardingRecord(List.of(), null, "tables-run-3", null));

    assertThatThrownBy(() -> offboard(OffboardingRequest.of("us-east-1", "db-1", "shop")))
        .rootCause()
        .hasMessageContaining("a table change of us-east-1/db-1/shop is running")
        .hasMessageContaining("tables/us-east-1/db-1/shop")
        .hasMessageContaining("Nothing was touched");
    verifyNothingTouched();
  }

  @Test
  void aBadRequestIsRefusedNamingTheField() {
    assertThatThrownBy(() -> offboard(OffboardingRequest.of("us-east-1", "db_1!", "shop")))
        .rootCause()
        .hasMessageContaining("dbInstanceId");
    verify(record, never()).onboardingRecord(any());
  }

  /**
   * With {@code -Drecord.histories=true}, writes the run's history into the replay corpus
   * (histories/offboarding-1), which ReplayCorpusTest replays with today's code.
   */
  private void record(String name, OffboardingRequest request) throws IOException {
    if (!"true".equals(System.getProperty("record.histories"))) {
      return;
    }
    Path out = Path.of("src/test/resources/histories/offboarding-1").resolve(name + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        client.fetchHistory(OffboardingWorkflows.workflowId(request)).toJson(true),
        StandardCharsets.UTF_8);
  }

  private void verifyNothingTouched() {
    verify(reverification, never()).removeSchedule(any());
    verify(materialize, never()).removeMaterialize(any());
    verify(upstream, never()).removeUpstream(any());
    verify(network, never()).removeIngress(any());
    verify(secrets, never()).removeReplicationSecret(any());
    verify(rds, never()).removeParameterGroup(any());
    verify(rds, never()).convergeAssociation(any());
  }

  @SafeVarargs
  private void onboarded(List<LedgerEntry>... ledgers) {
    List<OnboardingRun> runs = new ArrayList<>();
    Instant t = Instant.parse("2026-11-20T10:00:00Z");
    for (List<LedgerEntry> ledger : ledgers) {
      runs.add(
          new OnboardingRun(
              "run-" + runs.size(),
              "COMPLETED",
              t.plus(Duration.ofHours(runs.size())),
              OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.allTables()),
              ledger));
    }
    when(record.onboardingRecord(any())).thenReturn(new OnboardingRecord(runs, null));
  }

  private OffboardingResult offboard(OffboardingRequest request) {
    OffboardingWorkflow wf =
        client.newWorkflowStub(
            OffboardingWorkflow.class, OffboardingWorkflows.options(request, TASK_QUEUE));
    return wf.offboard(request);
  }

  private static List<Removal> removedAll(List<LedgerEntry> entries) {
    return entries.stream().map(OffboardingWorkflowTest::removed).toList();
  }

  private static Removal removed(LedgerEntry e) {
    return Removal.of(
        e,
        e.outcome() == Outcome.REUSED ? RemovalOutcome.KEPT_NOT_OURS : RemovalOutcome.REMOVED,
        "test");
  }

  private static DbInstanceInfo instance(String group) {
    return new DbInstanceInfo(
        "db-1",
        "postgres",
        "16.3",
        "available",
        "db-1.example",
        5432,
        "shop",
        "postgres",
        "arn:master",
        List.of(new DbInstanceInfo.ParameterGroupStatus(group, "in-sync")),
        List.of("sg-1"),
        true,
        "sun:05:00-sun:06:00",
        null,
        List.of(),
        null);
  }
}
