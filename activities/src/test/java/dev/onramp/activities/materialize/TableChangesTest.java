package dev.onramp.activities.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.upstream.RdsLikeUpstream;
import dev.onramp.activities.upstream.UpstreamActivitiesImpl;
import dev.onramp.activities.upstream.UpstreamTableChange;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.sandbox.materialize.SyntaxGeneration;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.tables.TableChangeAction;
import dev.onramp.workflows.tables.TableChangeOutcome;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code onramp tables add|drop} as the activities do it, against a real PostgreSQL and the
 * Materialize stand-in in both syntax generations: an added table is published, FULL, granted and
 * ingested; a refused one changes nothing; a dropped one stops being ingested and gets back what
 * onramp changed, while the other tables keep streaming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableChangesTest {
  @TempDir static Path dir;
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private RdsLikeUpstream upstream;
  private UpstreamActivitiesImpl up;
  private UpstreamTarget target;

  @BeforeAll
  void start() throws Exception {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    up = new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls());
    target = upstream.target(SecretRef.workerConfig("admin"));
  }

  @AfterAll
  void stop() {
    upstream.close();
  }

  @ParameterizedTest
  @EnumSource(SyntaxGeneration.class)
  void addsAndDropsTablesWithoutRecreatingTheSource(SyntaxGeneration generation) throws Exception {
    String g = generation == SyntaxGeneration.LEGACY_SUBSOURCES ? "legacy" : "tables";
    String publication = "pub_" + g;
    String items = "items_" + g;
    String notes = "notes_" + g; // no primary key
    String foreign = "foreign_" + g; // no primary key, owned by a role the admin is not in
    master(
        "CREATE TABLE " + items + " (id int PRIMARY KEY, v text)",
        "INSERT INTO " + items + " SELECT i, 'v' || i FROM generate_series(1, 5) i",
        "CREATE TABLE " + notes + " (v text)",
        "INSERT INTO " + notes + " VALUES ('a'), ('b')",
        "CREATE ROLE owner_" + g + " LOGIN PASSWORD 'owner-Pa55'",
        "GRANT CREATE ON SCHEMA public TO owner_" + g);
    // PostgreSQL 16 gives the creator of a role only ADMIN on it, not its privileges: the admin
    // cannot ALTER this table.
    try (Connection c = upstream.as("owner_" + g, "owner-Pa55", false);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + foreign + " (v text)");
    }
    // The onboarding: orders only.
    List<LedgerEntry> ledger =
        new ArrayList<>(
            up.convergeUpstream(
                    new dev.onramp.activities.upstream.UpstreamRequest(
                        target,
                        TableSelection.tables("orders"),
                        publication,
                        RdsLikeUpstream.REPLICATION_USER,
                        REPL))
                .ledger());
    upstream.replicationGrantsApplied();
    try (MaterializeStandIn standIn =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz-" + g))
            .password("pw")
            .syntax(generation)
            .clusterSizes(List.of("25cc"))
            .start()) {
      MaterializeActivitiesImpl mz = activities(standIn);
      SourceSyntax syntax = mz.describe().sourceSyntax();
      SourceSpec source = onboardSource(mz, g, publication, syntax);
      assertThat(rows(standIn, "src_" + g + "_orders")).isEqualTo(2);

      // Bad input: a table that does not exist, one that cannot take REPLICA IDENTITY FULL.
      List<String> publishedBefore = published(publication);
      ApplicationFailure missing =
          catchThrowableOfType(
              () -> up.changeTables(add(publication, ledger, "orders", "nope_" + g)),
              ApplicationFailure.class);
      assertThat(missing.getType()).isEqualTo(OnboardingFailures.TABLE_NOT_FOUND);
      assertThat(missing.getOriginalMessage()).contains("nope_" + g).contains("does not exist");
      ApplicationFailure notFull =
          catchThrowableOfType(
              () -> up.changeTables(add(publication, ledger, items, foreign)),
              ApplicationFailure.class);
      assertThat(notFull.getType()).isEqualTo(OnboardingFailures.TABLE_NOT_REPLICABLE);
      assertThat(notFull.getOriginalMessage()).contains(foreign).contains("REPLICA IDENTITY FULL");
      assertThat(published(publication)).isEqualTo(publishedBefore);
      assertThat(replicaIdentity(items)).isEqualTo("d");
      // Materialize refuses a table that is not in the publication, naming it.
      ApplicationFailure unpublished =
          catchThrowableOfType(
              () -> mz.changeSourceTables(change(source, TableChangeAction.ADD, items)),
              ApplicationFailure.class);
      assertThat(unpublished.getOriginalMessage()).contains(items);

      // Materialize refuses a relation name that is taken, naming it; nothing is added.
      String taken = "taken_" + g;
      master("CREATE TABLE " + taken + " (id int PRIMARY KEY)");
      up.changeTables(add(publication, ledger, taken));
      try (Connection c = DriverManager.getConnection(standIn.jdbcUrl(), standIn.user(), "pw");
          Statement st = c.createStatement()) {
        st.execute("CREATE SECRET src_" + g + "_" + taken + " AS 'someone else''s'");
      }
      ApplicationFailure nameTaken =
          catchThrowableOfType(
              () -> mz.changeSourceTables(change(source, TableChangeAction.ADD, taken)),
              ApplicationFailure.class);
      assertThat(nameTaken.getOriginalMessage()).contains("src_" + g + "_" + taken);
      assertThat(nameTaken.isNonRetryable()).isTrue();
      assertThat(relationExists(standIn, "src_" + g + "_" + taken)).isFalse();

      // ADD: upstream then Materialize; twice, the second time nothing new.
      TableChangeOutcome upAdd = up.changeTables(add(publication, ledger, items, notes));
      assertThat(upAdd.entries())
          .extracting(LedgerEntry::kind, LedgerEntry::identifier, LedgerEntry::outcome)
          .contains(
              org.assertj.core.groups.Tuple.tuple(
                  ResourceKind.REPLICA_IDENTITY, "public." + items, Outcome.CHANGED),
              org.assertj.core.groups.Tuple.tuple(
                  ResourceKind.REPLICA_IDENTITY, "public." + notes, Outcome.CHANGED),
              org.assertj.core.groups.Tuple.tuple(
                  ResourceKind.PUBLICATION, publication, Outcome.CHANGED));
      assertThat(upAdd.newlyPublished()).isEqualTo(names(items, notes));
      LedgerEntry grants = only(upAdd.entries(), ResourceKind.GRANTS);
      assertThat(grants.outcome()).isEqualTo(Outcome.CHANGED);
      assertThat(grants.attribute("granted"))
          .isEqualTo("SELECT ON public." + items + "; SELECT ON public." + notes);
      ledger.addAll(upAdd.entries());
      TableChangeOutcome mzAdd =
          mz.changeSourceTables(change(source, TableChangeAction.ADD, items, notes));
      LedgerEntry sourceEntry = only(mzAdd.entries(), ResourceKind.MZ_SOURCE);
      assertThat(sourceEntry.outcome()).isEqualTo(Outcome.CHANGED);
      assertThat(SourceRelations.decode(sourceEntry.attribute("relations")))
          .contains("src_" + g + "_orders", "src_" + g + "_" + items, "src_" + g + "_" + notes);
      assertThat(sourceEntry.attribute("replicationSlot")).isNotBlank();
      ledger.addAll(mzAdd.entries());
      assertThat(
              only(
                      mz.changeSourceTables(change(source, TableChangeAction.ADD, items)).entries(),
                      ResourceKind.MZ_SOURCE)
                  .outcome())
          .isEqualTo(Outcome.REUSED);
      assertThat(
              up.changeTables(add(publication, ledger, items)).entries().stream()
                  .map(LedgerEntry::outcome)
                  .distinct())
          .containsExactly(Outcome.REUSED);
      eventually(() -> rows(standIn, "src_" + g + "_" + items) == 5);
      eventually(() -> rows(standIn, "src_" + g + "_" + notes) == 2);

      // DROP items: Materialize first, then upstream.
      TableChangeOutcome mzDrop =
          mz.changeSourceTables(change(source, TableChangeAction.DROP, items));
      assertThat(mzDrop.removals())
          .singleElement()
          .satisfies(r -> assertThat(r.outcome()).isEqualTo(RemovalOutcome.REMOVED));
      assertThat(
              SourceRelations.decode(
                  only(mzDrop.entries(), ResourceKind.MZ_SOURCE).attribute("relations")))
          .doesNotContain("src_" + g + "_" + items)
          .contains("src_" + g + "_" + notes);
      TableChangeOutcome upDrop =
          up.changeTables(
              new UpstreamTableChange(
                  target,
                  publication,
                  RdsLikeUpstream.REPLICATION_USER,
                  TableChangeAction.DROP,
                  List.of(new QualifiedName("public", items)),
                  ledger));
      assertThat(upDrop.removals())
          .extracting(r -> r.kind() + " " + r.outcome())
          .containsExactly("PUBLICATION REMOVED", "REPLICA_IDENTITY RESTORED", "GRANTS REMOVED");
      assertThat(published(publication)).doesNotContain(items).contains(notes, "orders");
      assertThat(replicaIdentity(items)).isEqualTo("d");
      assertThat(selectHeld(items)).isFalse();
      assertThat(selectHeld(notes)).isTrue();
      assertThat(relationExists(standIn, "src_" + g + "_" + items)).isFalse();
      // A second drop finds nothing left to do.
      assertThat(mz.changeSourceTables(change(source, TableChangeAction.DROP, items)).removals())
          .singleElement()
          .satisfies(r -> assertThat(r.outcome()).isEqualTo(RemovalOutcome.ALREADY_GONE));

      // The other tables keep streaming.
      master("INSERT INTO orders VALUES (100 + " + (g.length()) + ", 'later', 1)");
      master("INSERT INTO " + notes + " VALUES ('c')");
      eventually(() -> rows(standIn, "src_" + g + "_orders") == 3);
      eventually(() -> rows(standIn, "src_" + g + "_" + notes) == 3);
      assertThat(mz.sourceStatus(source.name()).status()).isEqualTo("running");
      master("DELETE FROM orders WHERE item = 'later'");
    }
  }

  private SourceSpec onboardSource(
      MaterializeActivitiesImpl mz, String g, String publication, SourceSyntax syntax) {
    ConnectionSpec connection =
        new ConnectionSpec(
            "conn_" + g,
            "127.0.0.1",
            upstream.port(),
            RdsLikeUpstream.DB,
            RdsLikeUpstream.REPLICATION_USER,
            "pw_" + g,
            "require",
            null,
            null);
    mz.convergeCluster(new ClusterSpec("ingest_" + g, "25cc"));
    mz.convergeSecret(new MzSecretSpec("pw_" + g, RdsLikeUpstream.REGION, REPL));
    mz.convergeConnection(connection);
    SourceSpec source =
        new SourceSpec(
                "src_" + g,
                "ingest_" + g,
                connection.name(),
                publication,
                TableSelection.tables("orders"),
                syntax)
            .withRelationsFor(List.of(new QualifiedName("public", "orders")));
    mz.convergeSource(source);
    assertThat(mz.awaitSnapshot(source.name(), Duration.ofMillis(200), null).snapshotCommitted())
        .isTrue();
    return source;
  }

  private UpstreamTableChange add(String publication, List<LedgerEntry> ledger, String... tables) {
    return new UpstreamTableChange(
        target,
        publication,
        RdsLikeUpstream.REPLICATION_USER,
        TableChangeAction.ADD,
        names(tables),
        ledger);
  }

  private static SourceTableChange change(
      SourceSpec source, TableChangeAction action, String... tables) {
    return new SourceTableChange(source, action, names(tables));
  }

  private static List<QualifiedName> names(String... tables) {
    return java.util.Arrays.stream(tables).map(t -> new QualifiedName("public", t)).toList();
  }

  private static LedgerEntry only(List<LedgerEntry> entries, ResourceKind kind) {
    return entries.stream().filter(e -> e.kind() == kind).reduce((a, b) -> b).orElseThrow();
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

  private void master(String... statements) throws SQLException {
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private List<String> published(String publication) throws SQLException {
    return strings(
        "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
            + publication
            + "' ORDER BY 1");
  }

  private String replicaIdentity(String table) throws SQLException {
    return strings("SELECT relreplident::text FROM pg_class WHERE oid = '" + table + "'::regclass")
        .get(0);
  }

  private boolean selectHeld(String table) throws SQLException {
    return strings(
            "SELECT has_table_privilege('"
                + RdsLikeUpstream.REPLICATION_USER
                + "', '"
                + table
                + "', 'SELECT')::text")
        .get(0)
        .equals("true");
  }

  private List<String> strings(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = upstream.master();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long rows(MaterializeStandIn mz, String relation) throws SQLException {
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + relation + "\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean relationExists(MaterializeStandIn mz, String relation)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM mz_catalog.mz_sources WHERE name = '"
                    + relation
                    + "' UNION ALL SELECT count(*) FROM mz_catalog.mz_tables WHERE name = '"
                    + relation
                    + "'")) {
      long n = 0;
      while (rs.next()) {
        n += rs.getLong(1);
      }
      return n > 0;
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void eventually(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition did not hold within 30s");
      }
      Thread.sleep(200);
    }
  }
}
