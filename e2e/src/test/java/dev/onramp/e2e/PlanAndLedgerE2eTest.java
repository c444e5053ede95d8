package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleListDescription;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code onramp plan} and the ledger through the CLI against a worker process, a real Temporal
 * server and the stand-ins: on a fresh instance the plan lists exactly what the onboarding then
 * creates or changes, and changes nothing itself; objects that existed are recorded as reused;
 * {@code onramp show} prints the ledger.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanAndLedgerE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLES = "orders,\"Line \"\"Items\"\"; x\"";

  @TempDir static Path dir;
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void onAFreshInstanceThePlanListsEveryChangeTheOnboardingMakesAndChangesNothing()
      throws Exception {
    Map<String, List<String>> before = snapshot();

    // POST /onboardings/plan: the resource the REST API serves, over the same client.
    var api =
        new dev.onramp.worker.resources.OnboardingResource(
            new dev.onramp.workflows.client.OnboardingClient(env.temporal.client(), env.taskQueue),
            new dev.onramp.worker.auth.PolicyConfig());
    try (var ok = api.plan(restRequest(E2eEnvironment.INSTANCE))) {
      assertThat(ok.getStatus()).isEqualTo(200);
      var entity = (dev.onramp.workflows.OnboardingPlan) ok.getEntity();
      assertThat(entity.rebootNeeded()).isTrue();
      assertThat(entity.changes()).isNotEmpty();
    }
    try (var refused = api.plan(restRequest("no-such-db"))) {
      assertThat(refused.getStatus()).isEqualTo(422);
      assertThat(refused.getEntity().toString())
          .contains("the onboarding would be refused: Preflight checks")
          .contains("no-such-db");
    }

    CliRun text = CliRun.of(plan(E2eEnvironment.DATABASE, TABLES));
    CliRun json = CliRun.of(plan(E2eEnvironment.DATABASE, TABLES, "-o", "json"));

    assertThat(text.code()).as(text.printed()).isZero();
    assertThat(json.code()).as(json.printed()).isZero();
    assertThat(snapshot()).as("the plan changed nothing").isEqualTo(before);
    assertThat(text.out())
        .contains("nothing was changed")
        .containsPattern("create +parameter group +onramp-")
        .containsPattern("change +parameter group association +e2e-db")
        .containsPattern("create +mz source +shop_source")
        .contains("reboot needed: rds.logical_replication is");
    JsonNode plan = JSON.readTree(json.out());
    assertThat(plan.get("rebootNeeded").asBoolean()).isTrue();
    Set<String> planned = new TreeSet<>();
    for (JsonNode c : plan.get("changes")) {
      if (!"REUSE".equals(c.get("action").asText())) {
        planned.add(c.get("kind").asText() + " " + c.get("identifier").asText());
      }
    }

    CliRun onboarded = CliRun.of(env.startImmediate(E2eEnvironment.DATABASE, TABLES));
    assertThat(onboarded.code()).as(onboarded.printed()).isZero();

    JsonNode ledger = show("us-east-1/e2e-db/shop", "-o", "json");
    Set<String> made = new TreeSet<>();
    for (JsonNode e : ledger.get("ledger")) {
      if (!"REUSED".equals(e.get("outcome").asText())) {
        made.add(e.get("kind").asText() + " " + e.get("identifier").asText());
      }
    }
    assertThat(planned)
        .isEqualTo(made)
        .anyMatch(s -> s.startsWith("PARAMETER_GROUP "))
        .anyMatch(s -> s.startsWith("PARAMETER_GROUP_ASSOCIATION e2e-db"))
        .anyMatch(s -> s.startsWith("REPLICATION_SECRET "))
        .anyMatch(s -> s.startsWith("PUBLICATION mz_source"))
        .anyMatch(s -> s.startsWith("INGRESS_RULE "))
        .anyMatch(s -> s.startsWith("MZ_SOURCE shop_source"))
        .anyMatch(s -> s.startsWith("REVERIFICATION_SCHEDULE "));
  }

  @Test
  @Order(2) // the onboarding of the first test
  void showPrintsTheLedgerAsATable() {
    CliRun run =
        CliRun.of(
            "show",
            "--temporal-address",
            env.temporal.address(),
            "--task-queue",
            env.taskQueue,
            "us-east-1/e2e-db/shop");

    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out())
        .contains("onboarding onboard/us-east-1/e2e-db/shop  COMPLETED")
        .containsPattern("KIND +IDENTIFIER +OUTCOME +PREVIOUS")
        .containsPattern("parameter group association +e2e-db +changed +default\\.postgres")
        .containsPattern("publication +mz_source +created")
        .containsPattern("mz source +shop_source +created");

    CliRun none =
        CliRun.of(
            "show",
            "--temporal-address",
            env.temporal.address(),
            "--task-queue",
            env.taskQueue,
            "us-east-1/e2e-db/never");
    assertThat(none.code()).as(none.printed()).isEqualTo(4);
    assertThat(none.err())
        .contains("no onboarding of us-east-1/e2e-db/never")
        .doesNotContain("\tat ");
  }

  @Test
  @Order(3)
  void aClusterAndPublicationThatExistedAreRecordedAsReused() throws Exception {
    try (Connection up = env.upstreamAsMaster();
        Statement st = up.createStatement()) {
      st.execute("CREATE DATABASE inventory");
    }
    try (Connection inv = inventory();
        Statement st = inv.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
      st.execute("INSERT INTO orders SELECT g, 'inventory ' || g FROM generate_series(1, 5) g");
      st.execute("CREATE PUBLICATION mz_source FOR TABLE orders");
    }
    try (Connection mz = env.materialize();
        Statement st = mz.createStatement()) {
      st.execute("CREATE CLUSTER their_cluster (SIZE = '25cc')");
    }
    String[] extra = {"--cluster", "their_cluster", "--replication-user", "materialize_inv"};

    CliRun planned = CliRun.of(plan("inventory", "orders", concat(extra, "-o", "json")));
    assertThat(planned.code()).as(planned.printed()).isZero();
    Map<String, String> plan = new TreeMap<>();
    for (JsonNode c : JSON.readTree(planned.out()).get("changes")) {
      plan.put(
          c.get("kind").asText() + " " + c.get("identifier").asText(), c.get("action").asText());
    }
    assertThat(plan)
        .containsEntry("MZ_CLUSTER their_cluster", "REUSE")
        .containsEntry("PUBLICATION mz_source", "REUSE");

    CliRun run = CliRun.of(env.startImmediate("inventory", "orders", extra));
    assertThat(run.code()).as(run.printed()).isZero();

    JsonNode ledger = show("us-east-1/e2e-db/inventory", "-o", "json");
    Map<String, String> outcomes = new TreeMap<>();
    for (JsonNode e : ledger.get("ledger")) {
      outcomes.put(
          e.get("kind").asText() + " " + e.get("identifier").asText(), e.get("outcome").asText());
    }
    assertThat(outcomes)
        .containsEntry("MZ_CLUSTER their_cluster", "REUSED")
        .containsEntry("PUBLICATION mz_source", "REUSED")
        .containsEntry("REPLICATION_ROLE materialize_inv", "CREATED")
        .containsEntry("MZ_SOURCE inventory_source", "CREATED");
    List<String> created = new ArrayList<>();
    ledger.get("createdResources").forEach(n -> created.add(n.asText()));
    assertThat(created).noneMatch(r -> r.contains("their_cluster") || r.contains("mz_source"));
  }

  private static dev.onramp.workflows.OnboardingRequest restRequest(String instance) {
    return dev.onramp.workflows.OnboardingRequest.of(
            E2eEnvironment.REGION,
            instance,
            E2eEnvironment.DATABASE,
            dev.onramp.workflows.TableSelection.tables("orders"))
        .withRebootPolicy(dev.onramp.workflows.RebootPolicy.IMMEDIATE);
  }

  private static Connection inventory() throws SQLException {
    var db = env.instance();
    return DriverManager.getConnection(
        "jdbc:postgresql://" + db.host() + ":" + db.port() + "/inventory?sslmode=require",
        db.masterUsername(),
        db.masterPassword());
  }

  /** {@code onramp plan} with the arguments {@code onramp start} gets, without --wait. */
  private static String[] plan(String database, String tables, String... extra) {
    List<String> args = new ArrayList<>(List.of(env.startImmediate(database, tables)));
    args.set(0, "plan");
    int wait = args.indexOf("--wait");
    args.subList(wait, args.size()).clear(); // --wait --timeout 5m
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static JsonNode show(String target, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "show",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                target));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.code()).as(run.printed()).isZero();
    return JSON.readTree(run.out());
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** What an onboarding changes, in every system, by what it is. */
  static Map<String, List<String>> snapshot() throws Exception {
    Map<String, List<String>> s = new TreeMap<>();
    s.put("publications", upstream(StateSnapshot.PUBLICATIONS));
    s.put("roles", upstream("SELECT rolname || ' ' || rolreplication FROM pg_roles ORDER BY 1"));
    s.put("memberships", upstream(StateSnapshot.MEMBERSHIPS));
    s.put(
        "grants",
        upstream(
            "SELECT grantee || ' ' || privilege_type || ' ' || table_name"
                + " FROM information_schema.role_table_grants ORDER BY 1"));
    s.put("replica identities", upstream(StateSnapshot.REPLICA_IDENTITIES));
    s.put("replication slots", upstream(StateSnapshot.REPLICATION_SLOTS));
    s.put(
        "settings",
        upstream(
            "SELECT name || '=' || setting FROM pg_settings"
                + " WHERE name IN ('wal_level', 'rds.logical_replication') ORDER BY 1"));
    s.put("security group rules", StateSnapshot.securityGroupRules(env));
    s.put("instance", instanceState());
    s.put("parameter groups", parameterGroups());
    s.put("secrets", secrets());
    s.put("schedules", schedules());
    s.put("mz objects", StateSnapshot.materializeCatalog(env));
    return s;
  }

  static List<String> upstream(String sql) throws SQLException {
    return StateSnapshot.upstream(env, sql);
  }

  static List<String> instanceState() {
    DBInstance db = StateSnapshot.dbInstance(env);
    List<String> out = new ArrayList<>();
    out.add("status " + db.dbInstanceStatus());
    db.dbParameterGroups()
        .forEach(g -> out.add("uses " + g.dbParameterGroupName() + " " + g.parameterApplyStatus()));
    return out;
  }

  static List<String> parameterGroups() {
    try (RdsClient rds =
        RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build()) {
      return rds.describeDBParameterGroups().dbParameterGroups().stream()
          .map(g -> g.dbParameterGroupName())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  static List<String> secrets() {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(env.aws.endpoint())
            .build()) {
      List<String> names = new ArrayList<>();
      for (String name :
          List.of(
              "onramp/us-east-1/" + E2eEnvironment.INSTANCE + "/materialize",
              "onramp/us-east-1/" + E2eEnvironment.INSTANCE + "/materialize_inv")) {
        try {
          sm.describeSecret(b -> b.secretId(name));
          names.add(name);
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
          // not there
        }
      }
      return names;
    }
  }

  static List<String> schedules() {
    ScheduleClient schedules =
        ScheduleClient.newInstance(env.temporal.client().getWorkflowServiceStubs());
    return schedules.listSchedules().map(ScheduleListDescription::getScheduleId).sorted().toList();
  }
}
