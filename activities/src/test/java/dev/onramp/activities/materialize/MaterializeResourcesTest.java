package dev.onramp.activities.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.activities.upstream.RdsLikeUpstream;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.sandbox.materialize.SyntaxGeneration;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Materialize resources (issue 13) against the stand-in: converge (created, then reused), plan
 * (what converge then does, changing nothing), drift, and remove (the catalog and the upstream
 * slots as they were before, only onramp's own objects dropped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaterializeResourcesTest {
  @TempDir static Path dir;
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private static final TableSelection TABLES =
      TableSelection.tables("orders", "customers", "\"Odd \"\"name\"\"; yes\"");
  private RdsLikeUpstream upstream;
  private List<QualifiedName> tables;
  private MaterializeStandIn legacy;
  private MaterializeActivitiesImpl mz;

  @BeforeAll
  void start() throws Exception {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    tables =
        new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls())
            .ensureUpstreamObjects(
                upstream.target(SecretRef.workerConfig("admin")),
                TABLES,
                "mz_source",
                RdsLikeUpstream.REPLICATION_USER,
                REPL)
            .tableNames();
    upstream.replicationGrantsApplied();
    legacy = standIn(SyntaxGeneration.LEGACY_SUBSOURCES);
    mz = activities(legacy);
  }

  @AfterAll
  void stop() {
    if (legacy != null) {
      legacy.close();
    }
    upstream.close();
  }

  private MaterializeStandIn standIn(SyntaxGeneration generation) throws Exception {
    return MaterializeStandIn.builder()
        .stateDir(dir.resolve("mz-" + generation + "-" + System.nanoTime()))
        .password("pw")
        .syntax(generation)
        .clusterSizes(List.of("25cc", "50cc", "100cc"))
        .start();
  }

  private static MaterializeActivitiesImpl activities(MaterializeStandIn standIn) {
    return new MaterializeActivitiesImpl(
        new MaterializeSettings(
            standIn.host(),
            standIn.port(),
            standIn.user(),
            standIn.password(),
            "materialize",
            "prefer"),
        RdsLikeUpstream.resolver());
  }

  /** Everything onramp creates in the Materialize step, named after {@code name}. */
  private MaterializePlan plan(String name, String cluster, SourceSyntax syntax) {
    ConnectionSpec connection =
        new ConnectionSpec(
            name + "_connection",
            "127.0.0.1",
            upstream.port(),
            RdsLikeUpstream.DB,
            RdsLikeUpstream.REPLICATION_USER,
            name + "_password",
            "require",
            null,
            null);
    SourceSpec source =
        new SourceSpec(name + "_source", cluster, connection.name(), "mz_source", TABLES, syntax)
            .withRelationsFor(tables);
    return new MaterializePlan(cluster, connection, source, "25cc");
  }

  /** The Materialize step as the workflow runs it over the resources: the four ledger entries. */
  private static List<LedgerEntry> converge(MaterializeActivitiesImpl a, MaterializePlan plan) {
    List<LedgerEntry> entries = new ArrayList<>();
    entries.add(a.convergeCluster(new ClusterSpec(plan.cluster(), plan.clusterSize())));
    entries.add(
        a.convergeSecret(
            new MzSecretSpec(plan.connection().passwordSecret(), RdsLikeUpstream.REGION, REPL)));
    entries.add(a.convergeConnection(plan.connection()));
    SourceInfo source = a.convergeSource(plan.source());
    assertThat(source.created()).isEqualTo(source.entry().outcome() == Outcome.CREATED);
    entries.add(source.entry());
    return entries;
  }

  @ParameterizedTest
  @EnumSource(SyntaxGeneration.class)
  void planConvergeAndRemoveLeaveTheCatalogAndTheUpstreamAsTheyWere(SyntaxGeneration generation)
      throws Exception {
    try (MaterializeStandIn standIn = standIn(generation)) {
      MaterializeActivitiesImpl a = activities(standIn);
      MaterializePlan plan = plan("life", "life_cluster", a.describe().sourceSyntax());
      List<String> before = catalog(standIn);
      List<String> slotsBefore = slots();

      List<PlannedChange> planned = a.planMaterialize(plan);
      assertThat(catalog(standIn)).as("the plan changes nothing").isEqualTo(before);
      assertThat(slots()).isEqualTo(slotsBefore);
      assertThat(planned).extracting(PlannedChange::action).containsOnly(PlanAction.CREATE);

      List<LedgerEntry> first = converge(a, plan);
      assertThat(first).extracting(LedgerEntry::outcome).containsOnly(Outcome.CREATED);
      assertThat(first)
          .extracting(e -> e.kind() + " " + e.identifier())
          .as("the plan listed exactly what converge made")
          .isEqualTo(planned.stream().map(p -> p.kind() + " " + p.identifier()).toList());
      LedgerEntry source = first.get(3);
      String slot = source.attribute("replicationSlot");
      assertThat(slot).matches("materialize_[0-9a-f]{32}");
      assertThat(SourceRelations.decode(source.attribute("relations")))
          .containsExactlyInAnyOrder(
              "life_source_orders", "life_source_customers", "life_source_Odd \"name\"; yes");
      assertThat(first.get(2).attributes())
          .containsEntry("PORT", Integer.toString(upstream.port()))
          .containsEntry("PASSWORD SECRET", "life_password")
          .doesNotContainValue(RdsLikeUpstream.REPLICATION_PASSWORD);
      assertThat(a.awaitSnapshot("life_source", Duration.ofMillis(200), null).snapshotCommitted())
          .isTrue();
      // Materialize creates the slot when the source starts ingesting, not within CREATE SOURCE.
      assertThat(slots()).contains(slot);

      // A re-run reuses everything, and the plan says so.
      List<String> converged = catalog(standIn);
      assertThat(converge(a, plan)).extracting(LedgerEntry::outcome).containsOnly(Outcome.REUSED);
      assertThat(a.planMaterialize(plan))
          .extracting(PlannedChange::action)
          .containsOnly(PlanAction.REUSE);
      assertThat(catalog(standIn)).isEqualTo(converged);
      assertThat(a.materializeDrift(plan)).isEmpty();

      List<Removal> removed = a.removeMaterialize(new MaterializeRemoval(first));
      assertThat(removed)
          .extracting(Removal::kind)
          .containsExactly(
              ResourceKind.MZ_SOURCE,
              ResourceKind.MZ_CONNECTION,
              ResourceKind.MZ_SECRET,
              ResourceKind.MZ_CLUSTER);
      assertThat(removed).extracting(Removal::outcome).containsOnly(RemovalOutcome.REMOVED);
      assertThat(removed.get(0).message()).contains(slot);
      assertThat(catalog(standIn)).isEqualTo(before);
      awaitSlotGone(slot);

      // Everything is gone now: a second offboarding has nothing to do.
      assertThat(a.removeMaterialize(new MaterializeRemoval(first)))
          .extracting(Removal::outcome)
          .containsOnly(RemovalOutcome.ALREADY_GONE);
      assertThat(catalog(standIn)).isEqualTo(before);
    }
  }

  @Test
  void aClusterThatExistedBeforeIsReusedAndKeptByRemove() throws Exception {
    sql("CREATE CLUSTER their_cluster (SIZE = '50cc')");
    MaterializePlan plan = plan("theirs", "their_cluster", SourceSyntax.SUBSOURCES);
    List<String> before = catalog(legacy);

    assertThat(mz.planMaterialize(plan))
        .extracting(p -> p.kind() + " " + p.action())
        .containsExactly(
            "MZ_CLUSTER REUSE", "MZ_SECRET CREATE", "MZ_CONNECTION CREATE", "MZ_SOURCE CREATE");
    List<LedgerEntry> entries = converge(mz, plan);
    assertThat(entries)
        .extracting(LedgerEntry::outcome)
        .containsExactly(Outcome.REUSED, Outcome.CREATED, Outcome.CREATED, Outcome.CREATED);
    assertThat(entries.get(0).attributes()).isEqualTo(Map.of("size", "50cc"));

    List<Removal> removed = mz.removeMaterialize(new MaterializeRemoval(entries));
    assertThat(removed)
        .extracting(r -> r.kind() + " " + r.outcome())
        .containsExactly(
            "MZ_SOURCE REMOVED",
            "MZ_CONNECTION REMOVED",
            "MZ_SECRET REMOVED",
            "MZ_CLUSTER KEPT_NOT_OURS");
    assertThat(catalog(legacy))
        .isEqualTo(before)
        .anyMatch(r -> r.startsWith("cluster their_cluster"));
  }

  @Test
  void objectsChangedSinceOnboardingAreKeptAndReported() throws Exception {
    MaterializePlan plan = plan("changed", "changed_cluster", SourceSyntax.SUBSOURCES);
    List<LedgerEntry> entries = converge(mz, plan);
    // Someone takes the source and the secret over, and turns SSL off on the connection.
    sql(
        "COMMENT ON SOURCE changed_source IS NULL",
        "COMMENT ON SECRET changed_password IS 'ours now, the data team'",
        "ALTER CONNECTION changed_connection SET (SSL MODE = 'disable') WITH (VALIDATE = false)");
    List<String> before = catalog(legacy);

    List<Removal> removed = mz.removeMaterialize(new MaterializeRemoval(entries));

    assertThat(removed).extracting(Removal::outcome).containsOnly(RemovalOutcome.KEPT_CHANGED);
    assertThat(removed.get(0).message()).contains("no longer carries onramp's");
    assertThat(removed.get(1).message())
        .contains("altered since onboarding", "SSL MODE is 'disable', onboarding made 'require'");
    assertThat(removed.get(2).message()).contains("'ours now, the data team'");
    assertThat(removed.get(3).message()).contains("still holds changed_source");
    assertThat(catalog(legacy)).isEqualTo(before);

    // Once the person dropped the source by hand, the cluster is onramp's again to remove; the
    // altered connection (and the secret it uses) stay theirs.
    sql("DROP SOURCE changed_source CASCADE");
    assertThat(mz.removeMaterialize(new MaterializeRemoval(entries)))
        .extracting(r -> r.kind() + " " + r.outcome())
        .containsExactly(
            "MZ_SOURCE ALREADY_GONE",
            "MZ_CONNECTION KEPT_CHANGED",
            "MZ_SECRET KEPT_CHANGED",
            "MZ_CLUSTER REMOVED");
    sql("DROP CONNECTION changed_connection", "DROP SECRET changed_password");
  }

  @Test
  void somebodyElsesSourceOnOnrampsConnectionKeepsTheConnectionUntilItIsGone() throws Exception {
    MaterializePlan plan = plan("shared", "shared_cluster", SourceSyntax.SUBSOURCES);
    List<String> before = catalog(legacy);
    List<LedgerEntry> entries = converge(mz, plan);
    sql(
        "CREATE SOURCE their_source_on_ours FROM POSTGRES CONNECTION shared_connection"
            + " (PUBLICATION 'mz_source') FOR TABLES (customers AS their_customers)");

    assertThat(mz.removeMaterialize(new MaterializeRemoval(entries)))
        .extracting(r -> r.kind() + " " + r.outcome())
        .containsExactly(
            "MZ_SOURCE REMOVED",
            "MZ_CONNECTION KEPT_CHANGED",
            "MZ_SECRET KEPT_CHANGED",
            "MZ_CLUSTER REMOVED");

    // Once their source is gone, a second offboarding finishes the job.
    sql("DROP SOURCE their_source_on_ours CASCADE");
    assertThat(mz.removeMaterialize(new MaterializeRemoval(entries)))
        .extracting(r -> r.kind() + " " + r.outcome())
        .containsExactly(
            "MZ_SOURCE ALREADY_GONE",
            "MZ_CONNECTION REMOVED",
            "MZ_SECRET REMOVED",
            "MZ_CLUSTER ALREADY_GONE");
    assertThat(catalog(legacy)).isEqualTo(before);
  }

  @Test
  void driftFindsAStalledSourcesErrorAndTheFix() throws Exception {
    MaterializePlan plan = plan("drifty", "drifty_cluster", SourceSyntax.SUBSOURCES);
    converge(mz, plan);
    assertThat(mz.awaitSnapshot("drifty_source", Duration.ofMillis(200), null).status())
        .isEqualTo("running");
    assertThat(mz.materializeDrift(plan)).isEmpty();

    // The replication password changes under Materialize's feet: the source stalls on it.
    sql(
        "ALTER SECRET drifty_password AS 'not-the-password'",
        "ALTER CLUSTER drifty_cluster SET (SIZE = '50cc')");
    List<Finding> findings = List.of();
    for (int i = 0; i < 100; i++) {
      findings = mz.materializeDrift(plan);
      if (findings.stream().anyMatch(f -> f.kind() == ResourceKind.MZ_SOURCE)) {
        break;
      }
      Thread.sleep(200);
    }
    Finding stalled =
        findings.stream().filter(f -> f.kind() == ResourceKind.MZ_SOURCE).findFirst().orElseThrow();
    assertThat(stalled.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(stalled.problem()).contains("stalled", "password authentication failed");
    assertThat(stalled.fix()).contains("drifty_password", "run the onboarding again");
    assertThat(findings)
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(ResourceKind.MZ_CONNECTION);
              assertThat(f.problem()).contains("fails validation", "password authentication");
            })
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(ResourceKind.MZ_CLUSTER);
              assertThat(f.severity()).isEqualTo(Severity.INFO);
              assertThat(f.fix()).contains("SET (SIZE = '25cc')");
            });

    // Converging the secret again writes the stored password back, and the source recovers.
    mz.convergeSecret(new MzSecretSpec("drifty_password", RdsLikeUpstream.REGION, REPL));
    assertThat(mz.awaitSnapshot("drifty_source", Duration.ofMillis(200), Duration.ofMinutes(1)))
        .extracting(SnapshotStatus::status)
        .isEqualTo("running");

    // A subsource dropped by hand: the table is no longer ingested, and the fix adds it back.
    sql("DROP SOURCE drifty_source_customers");
    assertThat(mz.materializeDrift(plan))
        .filteredOn(f -> f.kind() == ResourceKind.MZ_SOURCE)
        .anySatisfy(
            f -> {
              assertThat(f.problem())
                  .contains("table public.customers is not ingested", "drifty_source_customers");
              assertThat(f.fix())
                  .isEqualTo(
                      "ALTER SOURCE \"drifty_source\" ADD SUBSOURCE \"public\".\"customers\" AS"
                          + " \"drifty_source_customers\"");
            });

    // The source and the cluster dropped by someone are drift too.
    sql("DROP SOURCE drifty_source CASCADE", "DROP CLUSTER drifty_cluster");
    assertThat(mz.materializeDrift(plan))
        .extracting(f -> f.kind() + " " + f.severity() + " " + f.problem())
        .contains(
            "MZ_CLUSTER CRITICAL cluster drifty_cluster does not exist, so the source cannot run",
            "MZ_SOURCE CRITICAL source drifty_source does not exist; nothing is ingested");
  }

  @Test
  void aTableAddedToOnrampsSourceIsAChangeAndTheSourceStaysOnramps() throws Exception {
    MaterializePlan full = plan("grown", "grown_cluster", SourceSyntax.SUBSOURCES);
    SourceSpec ordersOnly =
        new SourceSpec(
                "grown_source",
                "grown_cluster",
                "grown_connection",
                "mz_source",
                TableSelection.tables("orders"),
                SourceSyntax.SUBSOURCES)
            .withRelationsFor(List.of(new QualifiedName("public", "orders")));
    MaterializePlan small =
        new MaterializePlan("grown_cluster", full.connection(), ordersOnly, "25cc");
    List<String> before = catalog(legacy);
    converge(mz, small);

    assertThat(mz.planMaterialize(full))
        .filteredOn(p -> p.kind() == ResourceKind.MZ_SOURCE)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.action()).isEqualTo(PlanAction.CHANGE);
              assertThat(p.why()).contains("grown_source_customers");
            });
    List<LedgerEntry> entries = converge(mz, full);
    LedgerEntry source = entries.get(3);
    assertThat(source.outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(source.previous()).isEqualTo("relations \"grown_source_orders\"");
    assertThat(SourceRelations.decode(source.attribute("relations"))).hasSize(3);

    // The later run's ledger (reused and changed, all onramp's) still removes everything.
    assertThat(mz.removeMaterialize(new MaterializeRemoval(entries)))
        .extracting(Removal::outcome)
        .containsOnly(RemovalOutcome.REMOVED);
    assertThat(catalog(legacy)).isEqualTo(before);
  }

  @Test
  void withTheUpstreamUnreachableTheSourceGoesAndItsSlotIsReportedWithTheCommand()
      throws Exception {
    MaterializePlan plan = plan("cut", "cut_cluster", SourceSyntax.SUBSOURCES);
    List<LedgerEntry> entries = converge(mz, plan);
    mz.awaitSnapshot("cut_source", Duration.ofMillis(200), null);
    String slot = entries.get(3).attribute("replicationSlot");
    assertThat(slots()).contains(slot);

    List<Removal> removed;
    legacy.faults().upstreamUnreachable(true);
    try {
      removed = mz.removeMaterialize(new MaterializeRemoval(entries));
    } finally {
      legacy.faults().reset();
    }
    assertThat(removed).extracting(Removal::outcome).containsOnly(RemovalOutcome.REMOVED);
    String command = "SELECT pg_drop_replication_slot('" + slot + "')";
    assertThat(removed.get(0).message()).contains(command);
    // As in Materialize: the source is gone, its slot stays upstream until someone drops it.
    Thread.sleep(500);
    assertThat(slots()).contains(slot);
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute(command);
    }
    assertThat(slots()).doesNotContain(slot);
  }

  @Test
  void planRefusesWhatOnboardingWouldRefuseAndChangesNothing() throws Exception {
    sql("CREATE SECRET foreign_password AS 'x'");
    MaterializePlan plan = plan("foreign", "foreign_cluster", SourceSyntax.SUBSOURCES);
    List<String> before = catalog(legacy);
    ApplicationFailure refused =
        catchThrowableOfType(ApplicationFailure.class, () -> mz.planMaterialize(plan));
    assertThat(refused.getType()).isEqualTo(OnboardingFailures.FOREIGN_OBJECT);
    assertThat(refused.getOriginalMessage()).contains("secret \"foreign_password\"");

    MaterializePlan taken =
        new MaterializePlan(
            "foreign_cluster",
            new ConnectionSpec(
                "foreign_connection",
                "127.0.0.1",
                upstream.port(),
                RdsLikeUpstream.DB,
                RdsLikeUpstream.REPLICATION_USER,
                "foreign_password",
                "require",
                null,
                null),
            new SourceSpec(
                "foreign_password",
                "foreign_cluster",
                "foreign_connection",
                "mz_source",
                TABLES,
                SourceSyntax.SUBSOURCES),
            null);
    ApplicationFailure conflict =
        catchThrowableOfType(ApplicationFailure.class, () -> mz.planMaterialize(taken));
    ApplicationFailure sameAsPreflight =
        catchThrowableOfType(ApplicationFailure.class, () -> mz.checkPlan(taken));
    assertThat(conflict.getType()).isEqualTo(OnboardingFailures.MATERIALIZE_CONFLICT);
    assertThat(conflict.getOriginalMessage()).isEqualTo(sameAsPreflight.getOriginalMessage());
    assertThat(catalog(legacy)).isEqualTo(before);
  }

  // ---- helpers ----

  private void sql(String... statements) throws SQLException {
    try (Connection c = connect(legacy);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static Connection connect(MaterializeStandIn standIn) throws SQLException {
    return DriverManager.getConnection(standIn.jdbcUrl(), standIn.user(), standIn.password());
  }

  /** The catalog rows an offboarding must give back: objects, definitions and comments. */
  private static List<String> catalog(MaterializeStandIn standIn) throws SQLException {
    try (Connection c = connect(standIn)) {
      return strings(
          c,
          "SELECT 'cluster ' || name || ' ' || coalesce(size, '') FROM mz_clusters UNION ALL"
              + " SELECT 'secret ' || name FROM mz_secrets UNION ALL SELECT 'connection ' || name"
              + " || ' ' || create_sql FROM mz_connections UNION ALL SELECT 'source ' || name || ' '"
              + " || type FROM mz_sources UNION ALL SELECT 'table ' || name FROM mz_tables UNION"
              + " ALL SELECT 'comment ' || object_type || ' ' || id || ' ' || comment FROM"
              + " mz_internal.mz_comments ORDER BY 1");
    }
  }

  private List<String> slots() throws SQLException {
    try (Connection c = upstream.master()) {
      return strings(c, "SELECT slot_name FROM pg_replication_slots ORDER BY 1");
    }
  }

  /** Materialize drops the slot as part of DROP SOURCE; allow it the moment a real one takes. */
  private void awaitSlotGone(String slot) throws Exception {
    for (int i = 0; i < 50 && slots().contains(slot); i++) {
      Thread.sleep(100);
    }
    assertThat(slots()).doesNotContain(slot);
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
