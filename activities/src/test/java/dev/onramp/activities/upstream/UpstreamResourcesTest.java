package dev.onramp.activities.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/**
 * The upstream resources against the RDS-like server: converge twice (changed or created, then
 * reused), plan equals what converge does and changes nothing, remove puts the catalog back exactly
 * and leaves what onramp did not create, and replication slots a removed source left behind. Each
 * test works in a database (and with a role) of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamResourcesTest {
  @TempDir static Path dir;
  private static final SecretRef ADMIN = SecretRef.workerConfig("admin");
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private RdsLikeUpstream upstream;
  private UpstreamActivitiesImpl activities;

  /** Tables with each replica identity onramp may find, a schema of its own, no public CONNECT. */
  private static final List<String> FIXTURE =
      List.of(
          "CREATE TABLE orders (id int PRIMARY KEY, item text)",
          "CREATE TABLE nopk (v text)",
          "CREATE TABLE by_index (id int NOT NULL, v text)",
          "CREATE UNIQUE INDEX by_index_id ON by_index (id)",
          "ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_id",
          "CREATE TABLE nothing (id int PRIMARY KEY)",
          "ALTER TABLE nothing REPLICA IDENTITY NOTHING",
          "CREATE SCHEMA sales",
          "CREATE TABLE sales.\"Big \"\"Deals\"\"; yes\" (id int PRIMARY KEY)",
          "INSERT INTO orders VALUES (1, 'apple')");

  private static final TableSelection TABLES =
      TableSelection.tables(
          "orders", "nopk", "by_index", "nothing", "sales.\"Big \"\"Deals\"\"; yes\"");

  @BeforeAll
  void start() {
    // A slot may hold back at most 16 MB of WAL (RDS parameter max_slot_wal_keep_size, in MB):
    // beyond that a checkpoint invalidates it, as on an instance that keeps its disk.
    upstream =
        RdsLikeUpstream.start(dir.resolve("pg"), false, Map.of("max_slot_wal_keep_size", "16"));
    activities =
        new UpstreamActivitiesImpl(
            RdsLikeUpstream.resolver(), upstream.tls(), Duration.ofSeconds(5), 0);
  }

  @AfterAll
  void stop() {
    upstream.close();
  }

  private UpstreamTarget database(String name) throws SQLException {
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
      st.execute("REVOKE CONNECT ON DATABASE " + name + " FROM PUBLIC");
    }
    upstream
        .server()
        .runAsMaster(RdsLikeUpstream.MASTER, RdsLikeUpstream.MASTER_PASSWORD, name, FIXTURE);
    return upstream.target(ADMIN, name);
  }

  private static UpstreamRequest request(UpstreamTarget target, String publication, String user) {
    return new UpstreamRequest(target, TABLES, publication, user, REPL);
  }

  private void asMaster(UpstreamTarget target, String... sql) throws SQLException {
    try (Connection c = UpstreamCatalog.connect(upstream, target.database());
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  private static final String BIG = "sales.\"Big \"\"Deals\"\"; yes\"";

  @Test
  void eachResourceConvergesOnceThenIsReused() {
    UpstreamTarget target = uncheckedDatabase("conv");
    UpstreamObjects first = activities.convergeUpstream(request(target, "pub_conv", "repl_conv"));

    assertThat(first.ledger())
        .extracting(
            LedgerEntry::kind, LedgerEntry::identifier, LedgerEntry::outcome, LedgerEntry::previous)
        .containsExactly(
            tuple(ResourceKind.REPLICA_IDENTITY, "public.orders", Outcome.CHANGED, "d"),
            tuple(ResourceKind.REPLICA_IDENTITY, "public.nopk", Outcome.CHANGED, "d"),
            tuple(
                ResourceKind.REPLICA_IDENTITY, "public.by_index", Outcome.CHANGED, "i:by_index_id"),
            tuple(ResourceKind.REPLICA_IDENTITY, "public.nothing", Outcome.CHANGED, "n"),
            tuple(ResourceKind.REPLICA_IDENTITY, BIG, Outcome.CHANGED, "d"),
            tuple(ResourceKind.PUBLICATION, "pub_conv", Outcome.CREATED, null),
            tuple(ResourceKind.REPLICATION_ROLE, "repl_conv", Outcome.CREATED, null),
            tuple(ResourceKind.GRANTS, "repl_conv on conv", Outcome.CREATED, null));
    assertThat(first.ledger().get(7).attribute(GrantsResource.GRANTED))
        .isEqualTo(
            "rds_replication; CONNECT; USAGE ON SCHEMA sales; SELECT ON public.orders;"
                + " SELECT ON public.nopk; SELECT ON public.by_index; SELECT ON public.nothing;"
                + " SELECT ON "
                + BIG);
    assertThat(first.ledger().get(5).attribute("database")).isEqualTo("conv");
    assertThat(first.changes())
        .contains(
            "set REPLICA IDENTITY FULL on public.nopk",
            "created publication pub_conv",
            "created user repl_conv",
            "granted rds_replication to repl_conv",
            "granted CONNECT on database conv",
            "granted USAGE on schema sales",
            "granted SELECT on " + BIG);

    UpstreamObjects second = activities.convergeUpstream(request(target, "pub_conv", "repl_conv"));
    assertThat(second.changes()).isEmpty();
    assertThat(second.ledger()).hasSize(8).allMatch(e -> e.outcome() == Outcome.REUSED);
    assertThat(activities.upstreamDrift(request(target, "pub_conv", "repl_conv")))
        .extracting(Finding::problem)
        .containsExactly("no Materialize replication slot in database conv");
  }

  @Test
  void planOnAFreshDatabaseListsExactlyWhatConvergeDoesAndChangesNothing() throws Exception {
    UpstreamTarget target = database("planned");
    UpstreamRequest request = request(target, "pub_plan", "repl_plan");
    List<String> before = UpstreamCatalog.snapshot(upstream, "planned");

    List<PlannedChange> plan = activities.planUpstream(request);
    assertThat(UpstreamCatalog.snapshot(upstream, "planned")).isEqualTo(before);

    UpstreamObjects done = activities.convergeUpstream(request);
    assertThat(plan)
        .extracting(p -> p.kind() + " " + p.identifier() + " " + p.action())
        .containsExactlyElementsOf(
            done.ledger().stream()
                .map(e -> e.kind() + " " + e.identifier() + " " + planned(e.outcome()))
                .toList());
    assertThat(plan).extracting(PlannedChange::why).allMatch(w -> !w.isBlank());

    // Once converged, the plan is to reuse everything.
    assertThat(activities.planUpstream(request))
        .extracting(PlannedChange::action)
        .containsOnly(dev.onramp.activities.ledger.PlanAction.REUSE);
  }

  private static String planned(Outcome outcome) {
    return switch (outcome) {
      case CREATED -> "CREATE";
      case CHANGED -> "CHANGE";
      case REUSED -> "REUSE";
    };
  }

  @Test
  void removeAfterConvergeRestoresTheCatalogExactly() throws Exception {
    UpstreamTarget target = database("roundtrip");
    // A table someone made FULL long ago: reused, and left FULL.
    asMaster(target, "ALTER TABLE orders REPLICA IDENTITY FULL");
    List<String> before = UpstreamCatalog.snapshot(upstream, "roundtrip");

    UpstreamObjects done = activities.convergeUpstream(request(target, "pub_rt", "materialize"));
    assertThat(UpstreamCatalog.snapshot(upstream, "roundtrip")).isNotEqualTo(before);
    // What a Materialize source does: replicate as the new user through a slot of its own, which
    // the source's removal did not take with it.
    upstream.replicationGrantsApplied();
    createSlot("roundtrip", "materialize", "materialize_rt_1");
    List<LedgerEntry> ledger = new ArrayList<>(done.ledger());
    ledger.add(source("mz_rt", "materialize_rt_1"));

    List<Removal> removals = remove(target, ledger);

    assertThat(UpstreamCatalog.snapshot(upstream, "roundtrip")).isEqualTo(before);
    assertThat(removals)
        .extracting(Removal::kind, Removal::identifier, Removal::outcome)
        .containsExactly(
            tuple(ResourceKind.MZ_SOURCE, "mz_rt", RemovalOutcome.REMOVED),
            tuple(ResourceKind.GRANTS, "materialize on roundtrip", RemovalOutcome.REMOVED),
            tuple(ResourceKind.REPLICATION_ROLE, "materialize", RemovalOutcome.REMOVED),
            tuple(ResourceKind.PUBLICATION, "pub_rt", RemovalOutcome.REMOVED),
            tuple(ResourceKind.REPLICA_IDENTITY, BIG, RemovalOutcome.RESTORED),
            tuple(ResourceKind.REPLICA_IDENTITY, "public.nothing", RemovalOutcome.RESTORED),
            tuple(ResourceKind.REPLICA_IDENTITY, "public.by_index", RemovalOutcome.RESTORED),
            tuple(ResourceKind.REPLICA_IDENTITY, "public.nopk", RemovalOutcome.RESTORED),
            tuple(ResourceKind.REPLICA_IDENTITY, "public.orders", RemovalOutcome.KEPT_NOT_OURS));

    // A second offboarding finds everything gone and changes nothing.
    List<Removal> again = remove(target, ledger);
    assertThat(again)
        .extracting(Removal::outcome)
        .containsExactly(
            RemovalOutcome.ALREADY_GONE,
            RemovalOutcome.ALREADY_GONE,
            RemovalOutcome.ALREADY_GONE,
            RemovalOutcome.ALREADY_GONE,
            RemovalOutcome.RESTORED,
            RemovalOutcome.RESTORED,
            RemovalOutcome.RESTORED,
            RemovalOutcome.RESTORED,
            RemovalOutcome.KEPT_NOT_OURS);
    assertThat(UpstreamCatalog.snapshot(upstream, "roundtrip")).isEqualTo(before);
  }

  @Test
  void removeLeavesReusedForeignObjectsAndWhatWasChangedSinceInPlace() throws Exception {
    UpstreamTarget target = database("foreign_db");
    asMaster(
        target, "CREATE PUBLICATION their_pub FOR TABLE orders, nopk, by_index, nothing, " + BIG);
    UpstreamObjects done = activities.convergeUpstream(request(target, "their_pub", "repl_fgn"));
    assertThat(done.ledger())
        .filteredOn(e -> e.kind() == ResourceKind.PUBLICATION)
        .extracting(LedgerEntry::outcome)
        .containsExactly(Outcome.REUSED);
    // Someone changes a table back after onboarding: not onramp's to touch any more.
    asMaster(target, "ALTER TABLE nopk REPLICA IDENTITY NOTHING");

    List<Removal> removals = remove(target, done.ledger());

    assertThat(removals)
        .filteredOn(r -> r.kind() == ResourceKind.PUBLICATION)
        .extracting(Removal::outcome)
        .containsExactly(RemovalOutcome.KEPT_NOT_OURS);
    assertThat(removals)
        .filteredOn(r -> r.identifier().equals("public.nopk"))
        .extracting(Removal::outcome)
        .containsExactly(RemovalOutcome.KEPT_CHANGED);
    assertThat(UpstreamCatalog.snapshot(upstream, "foreign_db"))
        .contains(
            "publication their_pub all=false - public.by_index,public.nopk,public.nothing,public.orders,sales.Big \"Deals\"; yes")
        .noneMatch(l -> l.startsWith("role repl_fgn"));
  }

  @Test
  void removeOfEntriesWhoseObjectsAreGoneSaysSoAndTouchesNothing() throws Exception {
    UpstreamTarget target = database("gone");
    List<String> before = UpstreamCatalog.snapshot(upstream, "gone");
    List<LedgerEntry> ledger =
        List.of(
            LedgerEntry.changed(ResourceKind.REPLICA_IDENTITY, "public.dropped_table", "d"),
            LedgerEntry.created(ResourceKind.PUBLICATION, "gone_pub"),
            LedgerEntry.created(ResourceKind.REPLICATION_ROLE, "gone_role"),
            LedgerEntry.created(ResourceKind.GRANTS, "gone_role on gone")
                .withAttributes(Map.of("role", "gone_role", GrantsResource.GRANTED, "CONNECT")),
            source("mz_gone", "materialize_gone"));

    assertThat(remove(target, ledger))
        .extracting(Removal::outcome)
        .containsOnly(RemovalOutcome.ALREADY_GONE)
        .hasSize(5);
    assertThat(UpstreamCatalog.snapshot(upstream, "gone")).isEqualTo(before);
  }

  @Test
  void anExistingRoleOnrampDidNotCreateIsRefusedAndOneMarkedForItGetsOnlyWhatItLacks()
      throws Exception {
    UpstreamTarget target = database("existing");
    asMaster(target, "CREATE ROLE theirs LOGIN PASSWORD 'theirs-Pa55'");
    List<String> before = UpstreamCatalog.snapshot(upstream, "existing");
    for (ThrowingCall call :
        List.<ThrowingCall>of(
            () -> activities.planUpstream(request(target, "pub_ex", "theirs")),
            () -> activities.convergeUpstream(request(target, "pub_ex", "theirs")))) {
      ApplicationFailure refused = catchThrowableOfType(ApplicationFailure.class, call::run);
      assertThat(refused.getType()).isEqualTo(OnboardingFailures.FOREIGN_OBJECT);
      assertThat(refused.getOriginalMessage()).contains("role theirs", "not created by onramp");
    }
    assertThat(UpstreamCatalog.snapshot(upstream, "existing")).isEqualTo(before);

    // A role handed over to onramp, already allowed in and reading orders.
    asMaster(
        target,
        "CREATE ROLE handed LOGIN",
        "COMMENT ON ROLE handed IS 'managed by onramp'",
        "GRANT CONNECT ON DATABASE existing TO handed",
        "GRANT SELECT ON orders TO handed");
    UpstreamObjects done = activities.convergeUpstream(request(target, "pub_ex", "handed"));
    LedgerEntry grants = done.ledger().get(done.ledger().size() - 1);
    assertThat(grants.outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(grants.previous())
        .isEqualTo("CONNECT; USAGE ON SCHEMA public; SELECT ON public.orders");
    assertThat(grants.attribute(GrantsResource.GRANTED)).doesNotContain("orders", "CONNECT");
    assertThat(done.ledger())
        .filteredOn(e -> e.kind() == ResourceKind.REPLICATION_ROLE)
        .extracting(LedgerEntry::outcome)
        .containsExactly(Outcome.REUSED);

    // Removing the grants alone takes back only what onramp granted.
    List<Removal> removed = remove(target, List.of(grants));
    assertThat(removed).extracting(Removal::outcome).containsExactly(RemovalOutcome.RESTORED);
    assertThat(UpstreamCatalog.snapshot(upstream, "existing"))
        .contains("acl table orders handed SELECT", "acl database existing handed CONNECT")
        .noneMatch(l -> l.startsWith("acl table nopk handed"))
        .noneMatch(l -> l.startsWith("member rds_replication <- handed"));
  }

  @Test
  void anActiveLeftoverSlotIsReportedWithItsCommandAndDroppedOnceFree() throws Exception {
    UpstreamTarget target = database("slots");
    UpstreamObjects done = activities.convergeUpstream(request(target, "pub_slots", "repl_slots"));
    upstream.replicationGrantsApplied();
    createSlot("slots", "repl_slots", "materialize_active");
    List<LedgerEntry> ledger = List.of(source("mz_active", "materialize_active"));

    try (Connection repl = replicationConnection("slots", "repl_slots");
        PGReplicationStream stream =
            repl.unwrap(PGConnection.class)
                .getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName("materialize_active")
                .withSlotOption("proto_version", 1)
                .withSlotOption("publication_names", "pub_slots")
                .start()) {
      stream.readPending();
      List<Removal> busy = remove(target, ledger);
      assertThat(busy).extracting(Removal::outcome).containsExactly(RemovalOutcome.LEFT_OVER);
      assertThat(busy.get(0).message())
          .contains("SELECT pg_drop_replication_slot('materialize_active');", "slots");
      assertThat(busy.get(0).settled()).isFalse();
    }
    long deadline = System.currentTimeMillis() + 10_000;
    List<Removal> later;
    do {
      Thread.sleep(100);
      later = remove(target, ledger);
    } while (later.get(0).outcome() == RemovalOutcome.LEFT_OVER
        && System.currentTimeMillis() < deadline);
    assertThat(later).extracting(Removal::outcome).containsExactly(RemovalOutcome.REMOVED);
    assertThat(UpstreamCatalog.snapshot(upstream, "slots")).noneMatch(l -> l.startsWith("slot "));
    remove(target, done.ledger());
  }

  @Test
  void driftNamesEachProblemWithAFixThatFixesIt() throws Exception {
    UpstreamTarget target = database("drifted");
    UpstreamRequest request = request(target, "pub_drift", "repl_drift");
    UpstreamObjects done = activities.convergeUpstream(request);
    upstream.replicationGrantsApplied();
    createSlot("drifted", "repl_drift", "materialize_idle");
    asMaster(
        target,
        "INSERT INTO orders SELECT g, 'x' FROM generate_series(100, 2000) g",
        "ALTER TABLE nopk REPLICA IDENTITY DEFAULT",
        "ALTER PUBLICATION pub_drift DROP TABLE nothing",
        "REVOKE SELECT ON " + BIG + " FROM repl_drift");

    List<Finding> findings = activities.upstreamDrift(request);
    assertThat(findings)
        .extracting(Finding::severity, Finding::kind, Finding::problem)
        .containsExactly(
            tuple(
                Severity.CRITICAL,
                ResourceKind.REPLICA_IDENTITY,
                "table public.nopk no longer has REPLICA IDENTITY FULL"),
            tuple(
                Severity.WARNING,
                ResourceKind.PUBLICATION,
                "publication pub_drift does not include public.nothing"),
            tuple(Severity.CRITICAL, ResourceKind.GRANTS, "user repl_drift lacks SELECT on " + BIG),
            tuple(
                Severity.WARNING,
                ResourceKind.MZ_SOURCE,
                "replication slot materialize_idle is not active (is the source running?)"),
            tuple(
                Severity.WARNING,
                ResourceKind.MZ_SOURCE,
                "replication slot materialize_idle retains 0 MB of WAL of max_slot_wal_keep_size"
                    + " 16 MB (wal_status reserved)"));
    assertThat(findings.get(4).fix())
        .contains("SELECT pg_drop_replication_slot('materialize_idle');");

    // Each fix, run as given, clears its finding.
    for (Finding f : findings.subList(0, 3)) {
      asMaster(target, f.fix());
    }
    asMaster(target, findings.get(4).fix().substring(findings.get(4).fix().indexOf("SELECT ")));
    assertThat(activities.upstreamDrift(request))
        .extracting(Finding::problem)
        .containsExactly("no Materialize replication slot in database drifted");
    remove(target, done.ledger());
  }

  /** The password in the replication secret no longer logs in: a finding, never the password. */
  @Test
  void aReplicationPasswordChangedOnTheDatabaseAloneIsCritical() throws Exception {
    UpstreamTarget target = database("pw");
    UpstreamRequest request = request(target, "pub_pw", "repl_pw");
    UpstreamObjects done = activities.convergeUpstream(request);
    assertThat(activities.upstreamDrift(request))
        .noneSatisfy(f -> assertThat(f.problem()).contains("no longer logs in"));

    // The stand-in's role sync gives the fresh rds_replication grant its REPLICATION attribute with
    // an ALTER ROLE of its own; let it run first, or the two updates of the role collide.
    upstream.replicationGrantsApplied();
    asMaster(target, "ALTER ROLE repl_pw PASSWORD 'changed-by-someone-1'");
    List<Finding> found = activities.upstreamDrift(request);
    assertThat(found)
        .anySatisfy(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(f.kind()).isEqualTo(ResourceKind.REPLICATION_ROLE);
              assertThat(f.problem()).contains("no longer logs in as repl_pw");
              assertThat(f.fix()).contains("run onramp again").contains("ALTER SECRET");
            });
    assertThat(found.toString())
        .doesNotContain(RdsLikeUpstream.REPLICATION_PASSWORD)
        .doesNotContain("changed-by-someone-1");
    // Converging again sets the password from the secret: the finding is gone.
    activities.convergeUpstream(request);
    assertThat(activities.upstreamDrift(request))
        .noneSatisfy(f -> assertThat(f.problem()).contains("no longer logs in"));
    remove(target, done.ledger());
  }

  /**
   * An inactive slot while WAL is written: past half of max_slot_wal_keep_size it is a warning,
   * past 80% critical, both before a checkpoint can invalidate it (issue 14's acceptance).
   */
  @Test
  void retainedWalIsAWarningThenCriticalBeforeTheSlotIsLost() throws Exception {
    UpstreamTarget target = database("retain");
    UpstreamRequest request = request(target, "pub_retain", "repl_retain");
    UpstreamObjects done = activities.convergeUpstream(request);
    upstream.replicationGrantsApplied();
    // The worker's own threshold out of the way: only the limit counts here.
    UpstreamActivitiesImpl strict =
        new UpstreamActivitiesImpl(
            RdsLikeUpstream.resolver(), upstream.tls(), Duration.ofSeconds(5), Long.MAX_VALUE);
    createSlot("retain", "repl_retain", "materialize_retain");
    asMaster(target, "CREATE TABLE filler (v text)");
    Severity worst = null;
    List<Severity> seen = new ArrayList<>();
    for (int round = 0; round < 12 && worst != Severity.CRITICAL; round++) {
      // About 2.5 MB of WAL per round, no checkpoint: the slot keeps all of it.
      asMaster(
          target,
          "INSERT INTO filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, 2500) g");
      worst =
          strict.upstreamDrift(request).stream()
              .filter(f -> f.problem().contains("retains"))
              .map(Finding::severity)
              .min(java.util.Comparator.naturalOrder())
              .orElse(null);
      if (worst != null) {
        seen.add(worst);
      }
    }
    assertThat(seen).startsWith(Severity.WARNING).endsWith(Severity.CRITICAL);
    Finding critical =
        strict.upstreamDrift(request).stream()
            .filter(f -> f.severity() == Severity.CRITICAL)
            .findFirst()
            .orElseThrow();
    assertThat(critical.problem())
        .contains("of max_slot_wal_keep_size 16 MB")
        .contains("lost at a coming checkpoint");
    assertThat(critical.fix()).contains("raise max_slot_wal_keep_size");
    try (Connection c = UpstreamCatalog.connect(upstream, "retain");
        Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT wal_status FROM pg_replication_slots"
                    + " WHERE slot_name = 'materialize_retain'")) {
      rs.next();
      assertThat(rs.getString(1)).isNotEqualTo("lost"); // found before the slot is lost
    }
    List<LedgerEntry> ledger = new ArrayList<>(done.ledger());
    ledger.add(source("mz_retain", "materialize_retain"));
    remove(target, ledger);
  }

  /**
   * With no limit (max_slot_wal_keep_size -1) an inactive slot is weighed against the instance's
   * allocated storage: a warning past 5% of it, critical past 10%, while the slot is never lost
   * (nothing would stop it before the disk is full). 1 GiB of storage keeps the WAL written small.
   */
  @Test
  void withNoLimitRetainedWalIsWeighedAgainstTheAllocatedStorage() throws Exception {
    UpstreamTarget target = database("disk");
    UpstreamRequest request = request(target, "pub_disk", "repl_disk");
    UpstreamObjects done = activities.convergeUpstream(request);
    upstream.replicationGrantsApplied();
    UpstreamActivitiesImpl strict =
        new UpstreamActivitiesImpl(
            RdsLikeUpstream.resolver(), upstream.tls(), Duration.ofSeconds(5), Long.MAX_VALUE);
    UpstreamRequest withStorage =
        new UpstreamRequest(target, TABLES, "pub_disk", "repl_disk", REPL, 1);
    Map<String, String> before = upstream.reload(Map.of("max_slot_wal_keep_size", "-1"));
    try {
      createSlot("disk", "repl_disk", "materialize_disk");
      asMaster(target, "CREATE TABLE filler (v text)");
      List<Severity> seen = new ArrayList<>();
      Finding last = null;
      for (int round = 0;
          round < 12 && (last == null || last.severity() != Severity.CRITICAL);
          round++) {
        // About 20 MB of WAL per round, with a checkpoint: only a limit would free it.
        asMaster(
            target,
            "INSERT INTO filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, 20000) g",
            "CHECKPOINT");
        last =
            strict.upstreamDrift(withStorage).stream()
                .filter(f -> f.problem().contains("retains"))
                .findFirst()
                .orElse(null);
        if (last != null) {
          seen.add(last.severity());
        }
        // Without the storage the same slot is no finding at all (the worker's threshold is off).
        assertThat(strict.upstreamDrift(request))
            .noneSatisfy(f -> assertThat(f.problem()).contains("retains"));
      }
      assertThat(seen).startsWith(Severity.WARNING).endsWith(Severity.CRITICAL);
      assertThat(last.problem())
          .contains("allocated storage")
          .contains("max_slot_wal_keep_size is -1 (no limit)")
          .contains("storage-full");
      assertThat(last.fix())
          .contains("set max_slot_wal_keep_size to 102 MB")
          .contains("ApplyMethod=immediate")
          .contains("SELECT pg_drop_replication_slot('materialize_disk');");
      assertThat(walStatus("disk", "materialize_disk")).isNotEqualTo("lost");

      // A limit that protects the disk (here 16 MB of 1 GiB) takes the weighing back to the limit.
      upstream.reload(Map.of("max_slot_wal_keep_size", "16"));
      assertThat(strict.upstreamDrift(withStorage))
          .noneSatisfy(f -> assertThat(f.problem()).contains("allocated storage"));
    } finally {
      upstream.reload(before);
    }
    List<LedgerEntry> ledger = new ArrayList<>(done.ledger());
    ledger.add(source("mz_disk", "materialize_disk"));
    remove(target, ledger);
  }

  private String walStatus(String database, String slot) throws SQLException {
    try (Connection c = UpstreamCatalog.connect(upstream, database);
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slot);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void aSlotThatLostItsWalIsCritical() throws Exception {
    UpstreamTarget target = database("lost");
    UpstreamRequest request = request(target, "pub_lost", "repl_lost");
    UpstreamObjects done = activities.convergeUpstream(request);
    upstream.replicationGrantsApplied();
    createSlot("lost", "repl_lost", "materialize_lost");
    asMaster(target, "CREATE TABLE filler (v text)");
    String walStatus = null;
    for (int round = 0; round < 4 && !"lost".equals(walStatus); round++) {
      // About 40 MB of WAL nobody consumes, then a checkpoint: past max_slot_wal_keep_size.
      asMaster(
          target,
          "INSERT INTO filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, 40000) g",
          "CHECKPOINT");
      try (Connection c = UpstreamCatalog.connect(upstream, "lost");
          Statement st = c.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery(
                  "SELECT wal_status FROM pg_replication_slots"
                      + " WHERE slot_name = 'materialize_lost'")) {
        rs.next();
        walStatus = rs.getString(1);
      }
    }
    assertThat(walStatus).isEqualTo("lost");

    assertThat(activities.upstreamDrift(request))
        .filteredOn(f -> f.severity() == Severity.CRITICAL)
        .extracting(Finding::problem, Finding::fix)
        .containsExactly(
            tuple(
                "replication slot materialize_lost has been invalidated; recreate the source",
                "drop and recreate the source in Materialize (run the onboarding again), then"
                    + " SELECT pg_drop_replication_slot('materialize_lost');"));

    List<LedgerEntry> ledger = new ArrayList<>(done.ledger());
    ledger.add(source("mz_lost", "materialize_lost"));
    assertThat(remove(target, ledger))
        .extracting(Removal::outcome)
        .first()
        .isEqualTo(RemovalOutcome.REMOVED);
  }

  @Test
  void aRoleTwoDatabasesShareIsDroppedOnlyWithTheLastOfThem() throws Exception {
    UpstreamTarget first = database("share_a");
    UpstreamTarget second = database("share_b");
    List<String> beforeA = UpstreamCatalog.snapshot(upstream, "share_a");
    List<String> beforeB = UpstreamCatalog.snapshot(upstream, "share_b");
    UpstreamObjects a = activities.convergeUpstream(request(first, "pub_share", "repl_share"));
    UpstreamObjects b = activities.convergeUpstream(request(second, "pub_share", "repl_share"));
    assertThat(b.ledger())
        .filteredOn(e -> e.kind() == ResourceKind.REPLICATION_ROLE)
        .extracting(LedgerEntry::outcome)
        .containsExactly(Outcome.REUSED);

    List<Removal> removedA = remove(first, a.ledger());
    assertThat(removedA)
        .filteredOn(r -> r.kind() == ResourceKind.REPLICATION_ROLE)
        .extracting(Removal::outcome, Removal::message)
        .containsExactly(
            tuple(
                RemovalOutcome.KEPT_CHANGED,
                "role repl_share still holds privileges in database(s) share_b (another"
                    + " onboarding on this instance uses it); kept. Offboarding the last of them"
                    + " drops it"));
    // The other onboarding still replicates: membership and its grants are untouched.
    assertThat(UpstreamCatalog.snapshot(upstream, "share_b"))
        .contains(
            "member rds_replication <- repl_share admin=false",
            "acl table orders repl_share SELECT");
    assertThat(activities.upstreamDrift(request(second, "pub_share", "repl_share")))
        .extracting(Finding::problem)
        .containsExactly("no Materialize replication slot in database share_b");

    remove(second, b.ledger());
    // The role goes with the last; share_a's catalog is as before but for the role it kept.
    assertThat(UpstreamCatalog.snapshot(upstream, "share_b")).isEqualTo(beforeB);
    assertThat(UpstreamCatalog.snapshot(upstream, "share_a")).isEqualTo(beforeA);
  }

  @Test
  void forAllTablesRoundTripsWhereTheServerAllowsIt() throws Exception {
    try (RdsLikeUpstream rdsLike = RdsLikeUpstream.start(dir.resolve("pg-all"), true)) {
      UpstreamActivitiesImpl onIt =
          new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), rdsLike.tls());
      UpstreamRequest all =
          new UpstreamRequest(
              rdsLike.target(ADMIN), TableSelection.allTables(), "mz_all", "repl_all", REPL);
      List<String> before = UpstreamCatalog.snapshot(rdsLike, RdsLikeUpstream.DB);

      List<PlannedChange> plan = onIt.planUpstream(all);
      assertThat(UpstreamCatalog.snapshot(rdsLike, RdsLikeUpstream.DB)).isEqualTo(before);
      UpstreamObjects done = onIt.convergeUpstream(all);
      assertThat(done.changes()).contains("created publication mz_all FOR ALL TABLES");
      assertThat(plan)
          .extracting(p -> p.kind() + " " + p.identifier() + " " + p.action())
          .containsExactlyElementsOf(
              done.ledger().stream()
                  .map(e -> e.kind() + " " + e.identifier() + " " + planned(e.outcome()))
                  .toList());

      rdsLike.replicationGrantsApplied();
      onIt.removeUpstream(new UpstreamRemoval(all.target(), done.ledger()));
      assertThat(UpstreamCatalog.snapshot(rdsLike, RdsLikeUpstream.DB)).isEqualTo(before);
    }
  }

  @Test
  void aLedgerEntryNoResourceWroteIsRefusedAndNothingIsRemoved() throws Exception {
    UpstreamTarget target = database("unreadable");
    UpstreamObjects done = activities.convergeUpstream(request(target, "pub_bad", "repl_bad"));
    List<String> before = UpstreamCatalog.snapshot(upstream, "unreadable");
    List<LedgerEntry> ledger = new ArrayList<>(done.ledger());
    ledger.set(0, LedgerEntry.changed(ResourceKind.REPLICA_IDENTITY, "a.b.c.d", "d"));

    ApplicationFailure f =
        catchThrowableOfType(ApplicationFailure.class, () -> remove(target, ledger));
    assertThat(f.getType()).isEqualTo(OnboardingFailures.INVALID_REQUEST);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("a.b.c.d", "nothing upstream was removed");
    assertThat(UpstreamCatalog.snapshot(upstream, "unreadable")).isEqualTo(before);
    remove(target, done.ledger());
  }

  @Test
  void aConcurrentCatalogUpdateIsRetriedLikeABusyLock() {
    ApplicationFailure raced =
        UpstreamDdl.failure(
            new SQLException("ERROR: tuple concurrently updated", "XX000"), "DROP ROLE x");
    assertThat(raced.getType()).isEqualTo(OnboardingFailures.UPSTREAM_LOCK_BUSY);
    assertThat(raced.isNonRetryable()).isFalse();
    ApplicationFailure internal =
        UpstreamDdl.failure(new SQLException("ERROR: cache lookup failed", "XX000"), "x");
    assertThat(internal.getType()).isNotEqualTo(OnboardingFailures.UPSTREAM_LOCK_BUSY);
  }

  @Test
  void anUnreachableUpstreamIsARetryableFailureNotAReport() {
    UpstreamTarget down =
        new UpstreamTarget(
            RdsLikeUpstream.REGION,
            RdsLikeUpstream.INSTANCE,
            "127.0.0.1",
            dev.onramp.sandbox.postgres.PostgresServer.freePort(),
            "shop",
            RdsLikeUpstream.MASTER,
            ADMIN,
            "require");
    ApplicationFailure f =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.removeUpstream(
                    new UpstreamRemoval(
                        down, List.of(LedgerEntry.created(ResourceKind.PUBLICATION, "p")))));
    assertThat(f.getType()).isEqualTo(OnboardingFailures.NOT_REACHABLE);
    assertThat(f.isNonRetryable()).isFalse();
  }

  // ---- helpers ----

  /**
   * Offboards once the stand-in's role sync has seen the last grant: its ALTER ROLE racing the DROP
   * ROLE of the same role is a "tuple concurrently updated", which the activity reports as a
   * retryable UpstreamLockBusy that Temporal retries; called directly here, nothing would.
   */
  private List<Removal> remove(UpstreamTarget target, List<LedgerEntry> ledger) {
    upstream.replicationGrantsApplied();
    return activities.removeUpstream(new UpstreamRemoval(target, ledger));
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  private UpstreamTarget uncheckedDatabase(String name) {
    try {
      return database(name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LedgerEntry source(String name, String slot) {
    return LedgerEntry.created(ResourceKind.MZ_SOURCE, name)
        .withAttributes(Map.of(ReplicationSlots.SLOT_ATTRIBUTE, slot));
  }

  /** A logical slot as a Materialize source makes one: as the replication user, with pgoutput. */
  private void createSlot(String database, String user, String slot) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try (Connection c = replicationConnection(database, user)) {
        c.unwrap(PGConnection.class)
            .getReplicationAPI()
            .createReplicationSlot()
            .logical()
            .withSlotName(slot)
            .withOutputPlugin("pgoutput")
            .make();
        return;
      } catch (SQLException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private Connection replicationConnection(String database, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", RdsLikeUpstream.REPLICATION_PASSWORD);
    p.setProperty("sslmode", "require");
    p.setProperty("replication", "database");
    p.setProperty("assumeMinServerVersion", "10");
    p.setProperty("preferQueryMode", "simple");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + upstream.port() + "/" + database, p);
  }
}
