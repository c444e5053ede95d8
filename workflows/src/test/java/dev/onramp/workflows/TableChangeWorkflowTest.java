package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.materialize.MaterializeActivities;
import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.SourceSyntax;
import dev.onramp.activities.materialize.SourceTableChange;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.rds.RdsActivities;
import dev.onramp.activities.upstream.UpstreamActivities;
import dev.onramp.activities.upstream.UpstreamTableChange;
import dev.onramp.activities.verification.ReverificationActivities;
import dev.onramp.activities.verification.ScheduleTablesChange;
import dev.onramp.workflows.tables.TableChangeAction;
import dev.onramp.workflows.tables.TableChangeOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mockito;

/**
 * The table change's order (ADD: upstream before Materialize; DROP: Materialize before upstream,
 * since a table leaving the publication under a live subsource breaks the source), what it hands
 * each side, its result, and bad input refused before any activity runs.
 */
class TableChangeWorkflowTest {
  private static final String QUEUE = "tables-test";
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final RdsActivities rds = mock(RdsActivities.class, withSettings().withoutAnnotations());
  private final UpstreamActivities upstream =
      mock(UpstreamActivities.class, withSettings().withoutAnnotations());
  private final MaterializeActivities mz =
      mock(MaterializeActivities.class, withSettings().withoutAnnotations());
  private final ReverificationActivities reverification =
      mock(ReverificationActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    for (String name : OnboardingWorkflows.SEARCH_ATTRIBUTE_NAMES) {
      env.registerSearchAttribute(
          name, io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(TableChangeWorkflowImpl.class);
    worker.registerActivitiesImplementations(rds, upstream, mz, reverification);
    env.start();
    client = env.getWorkflowClient();
    when(rds.describeInstance(anyString(), anyString()))
        .thenReturn(
            new DbInstanceInfo(
                "db-1",
                "postgres",
                "16.4",
                "available",
                "db-1.host",
                5432,
                "shop",
                "admin",
                "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-1",
                List.of(),
                List.of(),
                true,
                null,
                null,
                List.of(),
                null));
    when(mz.describe())
        .thenReturn(new MaterializeInfo("v26.1.0", SourceSyntax.TABLES_FROM_SOURCE, List.of()));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private TableChangeResult run(TableChangeRequest request) {
    TableChangeWorkflow wf =
        client.newWorkflowStub(
            TableChangeWorkflow.class,
            TableChangeWorkflows.options(request.onboarding().withDefaults(), QUEUE));
    return wf.change(request);
  }

  private static OnboardingRequest onboarding() {
    return OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("orders"));
  }

  @Test
  void addChangesUpstreamThenMaterializeAndReturnsBothLedgers() {
    LedgerEntry publication = LedgerEntry.changed(ResourceKind.PUBLICATION, "mz_source", "x");
    LedgerEntry source = LedgerEntry.changed(ResourceKind.MZ_SOURCE, "shop_source", "relations");
    when(upstream.changeTables(any()))
        .thenReturn(new TableChangeOutcome(List.of(publication), List.of(), List.of("up")));
    when(mz.changeSourceTables(any()))
        .thenReturn(new TableChangeOutcome(List.of(source), List.of(), List.of("mz")));
    List<LedgerEntry> earlier = List.of(LedgerEntry.created(ResourceKind.GRANTS, "m on shop"));

    TableChangeResult result =
        run(
            new TableChangeRequest(
                onboarding(), TableChangeAction.ADD, List.of("returns", "\"Odd\""), earlier));

    InOrder order = inOrder(upstream, mz);
    ArgumentCaptor<UpstreamTableChange> up = ArgumentCaptor.forClass(UpstreamTableChange.class);
    ArgumentCaptor<SourceTableChange> down = ArgumentCaptor.forClass(SourceTableChange.class);
    order.verify(upstream).changeTables(up.capture());
    order.verify(mz).changeSourceTables(down.capture());
    assertThat(up.getValue().tables())
        .containsExactly(
            new QualifiedName("public", "returns"), new QualifiedName("public", "Odd"));
    assertThat(up.getValue().ledger()).isEqualTo(earlier);
    assertThat(up.getValue().publication()).isEqualTo("mz_source");
    assertThat(up.getValue().target().host()).isEqualTo("db-1.host");
    assertThat(down.getValue().source().name()).isEqualTo("shop_source");
    assertThat(down.getValue().source().syntax()).isEqualTo(SourceSyntax.TABLES_FROM_SOURCE);
    assertThat(result.ledger()).containsExactly(publication, source);
    assertThat(result.changes()).containsExactly("up", "mz");
  }

  @Test
  void aRefusedAddTakesBackWhatItPublishedUpstreamAndFails() {
    QualifiedName returns = new QualifiedName("public", "returns");
    LedgerEntry identity =
        LedgerEntry.changed(ResourceKind.REPLICA_IDENTITY, "public.returns", "d");
    when(upstream.changeTables(any()))
        .thenReturn(
            new TableChangeOutcome(List.of(identity), List.of(), List.of(), List.of(returns)));
    when(mz.changeSourceTables(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "catalog item 'shop_source_returns' already exists",
                OnboardingFailures.MATERIALIZE_CONFLICT));
    List<LedgerEntry> earlier = List.of(LedgerEntry.created(ResourceKind.GRANTS, "m on shop"));

    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () ->
                run(
                    new TableChangeRequest(
                        onboarding(),
                        TableChangeAction.ADD,
                        List.of("orders", "returns"),
                        earlier)));

    assertThat(failed.getCause().getCause()).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) failed.getCause().getCause()).getOriginalMessage())
        .contains("shop_source_returns");
    ArgumentCaptor<UpstreamTableChange> up = ArgumentCaptor.forClass(UpstreamTableChange.class);
    Mockito.verify(upstream, Mockito.times(2)).changeTables(up.capture());
    UpstreamTableChange takeBack = up.getAllValues().get(1);
    assertThat(takeBack.action()).isEqualTo(TableChangeAction.DROP);
    // orders was published before: the source may ingest it, so it is left alone.
    assertThat(takeBack.tables()).containsExactly(returns);
    assertThat(takeBack.ledger()).containsExactly(earlier.get(0), identity);
  }

  @Test
  void dropChangesMaterializeThenUpstream() {
    Removal gone =
        new Removal(ResourceKind.MZ_SOURCE, "shop_source", RemovalOutcome.REMOVED, "dropped");
    when(upstream.changeTables(any())).thenReturn(new TableChangeOutcome(null, null, null));
    when(mz.changeSourceTables(any()))
        .thenReturn(new TableChangeOutcome(List.of(), List.of(gone), List.of("dropped")));

    TableChangeResult result =
        run(
            new TableChangeRequest(
                onboarding(), TableChangeAction.DROP, List.of("orders"), List.of()));

    InOrder order = inOrder(mz, upstream, reverification);
    order.verify(mz).changeSourceTables(any());
    order.verify(upstream).changeTables(any());
    // Then re-verification checks the tables without orders.
    order
        .verify(reverification)
        .retargetSchedule(
            new ScheduleTablesChange(
                onboarding(),
                TableChangeAction.DROP,
                List.of(new QualifiedName("public", "orders"))));
    assertThat(result.removals()).containsExactly(gone);
  }

  @Test
  void aRequestCoveringSchemasLeavesTheScheduleAsItIs() {
    when(upstream.changeTables(any())).thenReturn(new TableChangeOutcome(null, null, null));
    when(mz.changeSourceTables(any())).thenReturn(new TableChangeOutcome(null, null, null));

    run(
        new TableChangeRequest(
            OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.schemas("public")),
            TableChangeAction.ADD,
            List.of("returns"),
            List.of()));

    Mockito.verify(reverification, Mockito.never()).retargetSchedule(any());
  }

  @Test
  void theTableSetAfterAChangeAppendsAddedAndLeavesOutDropped() {
    TableSelection before = TableSelection.tables("orders", "shop.\"Line Items\"");
    TableSelection added =
        TableSelection.changed(
            before,
            TableChangeAction.ADD,
            List.of(new QualifiedName("public", "orders"), new QualifiedName("public", "Odd\"x")));
    assertThat(added.names())
        .containsExactly("orders", "shop.\"Line Items\"", "\"public\".\"Odd\"\"x\"");
    assertThat(added.tableNames())
        .containsExactly(
            new QualifiedName("public", "orders"),
            new QualifiedName("shop", "Line Items"),
            new QualifiedName("public", "Odd\"x"));
    TableSelection dropped =
        TableSelection.changed(
            added, TableChangeAction.DROP, List.of(new QualifiedName("shop", "Line Items")));
    assertThat(dropped.tableNames())
        .containsExactly(
            new QualifiedName("public", "orders"), new QualifiedName("public", "Odd\"x"));
    assertThat(
            TableSelection.changed(TableSelection.allTables(), TableChangeAction.DROP, List.of()))
        .isEqualTo(TableSelection.allTables());
  }

  @Test
  void badInputIsRefusedBeforeAnythingRuns() {
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () ->
                run(
                    new TableChangeRequest(
                        onboarding(), TableChangeAction.ADD, List.of("a.b.c"), List.of())));
    ApplicationFailure cause = (ApplicationFailure) failed.getCause();
    assertThat(cause.getType()).isEqualTo(OnboardingFailures.INVALID_REQUEST);
    assertThat(cause.getOriginalMessage()).contains("a.b.c");
    assertThat(
            new TableChangeRequest(onboarding(), TableChangeAction.DROP, List.of(), List.of())
                .problems())
        .singleElement()
        .asString()
        .contains("tables");
    verifyNoInteractions(rds, upstream);
    Mockito.verify(mz, Mockito.never()).changeSourceTables(any());
  }
}
