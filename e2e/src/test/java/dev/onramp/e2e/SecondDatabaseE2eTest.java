package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingResult;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.StepProgress;
import dev.onramp.workflows.StepState;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.WaitSettings;
import dev.onramp.workflows.client.OnboardingClient;
import io.temporal.client.WorkflowFailedException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * A name taken in Materialize stops the run in preflight, before the reboot and before any change
 * on either side; once it is freed the onboarding completes, and a second database with the same
 * table names on the same instance completes too.
 */
class SecondDatabaseE2eTest {
  @TempDir Path dir;

  private static final WaitSettings FAST =
      new WaitSettings(
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5));

  private static OnboardingRequest request(String database, String replicationUser) {
    return new OnboardingRequest(
            E2eEnvironment.REGION,
            E2eEnvironment.INSTANCE,
            database,
            TableSelection.tables("orders"),
            null,
            replicationUser,
            null,
            null,
            null,
            null,
            RebootPolicy.IMMEDIATE,
            FAST,
            Duration.ZERO,
            null,
            null)
        .withDefaults();
  }

  @Test
  void aTakenNameFailsPreflightUnchangedThenTwoDatabasesWithTheSameTablesOnboard()
      throws Exception {
    try (E2eEnvironment env = new E2eEnvironment(dir, Duration.ofSeconds(2))) {
      env.startWorker("worker");
      OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);
      try (Connection up = env.upstreamAsMaster();
          Statement st = up.createStatement()) {
        st.execute("CREATE DATABASE shop2");
      }
      InstanceInfo db = env.instance();
      try (Connection shop2 = shop2(db);
          Statement st = shop2.createStatement()) {
        st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
        st.execute("INSERT INTO orders SELECT g, 'shop2 item ' || g FROM generate_series(1, 7) g");
      }
      // Someone else's object holds the name onramp wants for the orders subsource.
      try (Connection mz = env.materialize();
          Statement st = mz.createStatement()) {
        st.execute("CREATE SECRET shop_source_orders AS 'not onramp''s'");
      }
      List<String> awsBefore = awsState(env);
      List<String> upstreamBefore = upstreamState(env);
      List<String> mzBefore = materializeState(env);

      String id = client.start(request(E2eEnvironment.DATABASE, null));
      WorkflowFailedException failed =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> client.awaitResult(id, Duration.ofMinutes(2)));
      ApplicationFailure cause = (ApplicationFailure) failed.getCause();
      assertThat(cause.getType()).isEqualTo(OnboardingFailures.MATERIALIZE_CONFLICT);
      assertThat(cause.getOriginalMessage())
          .contains("catalog item 'shop_source_orders' already exists");
      assertThat(client.progress(id).currentStep()).isEqualTo(OnboardingStep.PREFLIGHT);
      assertThat(awsState(env)).isEqualTo(awsBefore);
      assertThat(upstreamState(env)).isEqualTo(upstreamBefore);
      assertThat(materializeState(env)).isEqualTo(mzBefore);

      try (Connection mz = env.materialize();
          Statement st = mz.createStatement()) {
        st.execute("DROP SECRET shop_source_orders");
      }
      OnboardingResult first =
          client.awaitResult(
              client.start(request(E2eEnvironment.DATABASE, null)), Duration.ofMinutes(4));
      assertThat(first.reboots()).isEqualTo(1);
      assertThat(first.tables()).containsExactly("shop_source_orders");

      // The same table names in a second database of the same instance (here with a replication
      // user of its own; TwoDatabasesOneInstanceE2eTest shares the default one). A long-running
      // reader holds its orders table when the upstream step comes: the step waits, visibly,
      // without queueing behind the reader, and goes on once the reader is done.
      OnboardingResult second;
      try (Connection reader = shop2(db);
          Statement st = reader.createStatement()) {
        reader.setAutoCommit(false);
        st.executeQuery("SELECT count(*) FROM orders").close();
        st.execute("LOCK TABLE orders IN ACCESS SHARE MODE");
        String secondId = client.start(request("shop2", "materialize_shop2"));
        awaitMessage(client, secondId, "waiting for a lock on public.orders");
        reader.commit();
        second = client.awaitResult(secondId, Duration.ofMinutes(4));
      }
      try (Connection c = shop2(db)) {
        assertThat(Seed.queryStrings(c, "SELECT count(*) FROM pg_locks WHERE NOT granted"))
            .containsExactly("0");
      }
      assertThat(second.reboots()).isZero();
      assertThat(second.tables()).containsExactly("shop2_source_orders");
      try (Connection mz = env.materialize()) {
        assertThat(Seed.queryStrings(mz, "SELECT count(*) FROM shop_source_orders"))
            .containsExactly("100");
        assertThat(Seed.queryStrings(mz, "SELECT count(*) FROM shop2_source_orders"))
            .containsExactly("7");
      }
    }
  }

  private static Connection shop2(InstanceInfo db) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + db.host() + ":" + db.port() + "/shop2?sslmode=require",
        db.masterUsername(),
        db.masterPassword());
  }

  /** Waits until the upstream step's progress message says {@code text}. */
  private static void awaitMessage(OnboardingClient client, String id, String text)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      StepProgress step = client.progress(id).step(OnboardingStep.UPSTREAM_OBJECTS);
      String shown = step.state() + " " + step.message();
      if (step.state() == StepState.WAITING && shown.contains(text)) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("never showed '" + text + "'; last: " + shown);
      }
      Thread.sleep(250);
    }
  }

  /** The instance, its parameter groups, its events and its security group rules. */
  private static List<String> awsState(E2eEnvironment env) {
    try (RdsClient rds =
        RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build()) {
      List<String> state = new ArrayList<>();
      DBInstance i =
          rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
              .dbInstances()
              .get(0);
      state.add(i.dbInstanceStatus());
      i.dbParameterGroups()
          .forEach(g -> state.add(g.dbParameterGroupName() + " " + g.parameterApplyStatus()));
      rds.describeDBParameterGroups().dbParameterGroups().stream()
          .map(g -> "group " + g.dbParameterGroupName())
          .sorted()
          .forEach(state::add);
      rds.describeEvents(b -> b.sourceIdentifier(E2eEnvironment.INSTANCE).sourceType("db-instance"))
          .events()
          .forEach(e -> state.add("event " + e.message()));
      return state;
    }
  }

  private static List<String> upstreamState(E2eEnvironment env) throws Exception {
    try (Connection c = env.upstreamAsMaster()) {
      List<String> state = new ArrayList<>();
      state.addAll(Seed.queryStrings(c, "SELECT 'publication ' || pubname FROM pg_publication"));
      state.addAll(
          Seed.queryStrings(
              c, "SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'materialize%'"));
      state.addAll(
          Seed.queryStrings(
              c,
              "SELECT 'identity ' || relname || ' ' || relreplident::text FROM pg_class WHERE relname ="
                  + " 'orders'"));
      return state;
    }
  }

  private static List<String> materializeState(E2eEnvironment env) throws Exception {
    try (Connection c = env.materialize();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT kind || ' ' || name FROM (SELECT 'source' AS kind, name FROM mz_sources"
                    + " UNION ALL SELECT 'table', name FROM mz_tables UNION ALL SELECT"
                    + " 'connection', name FROM mz_connections UNION ALL SELECT 'secret', name"
                    + " FROM mz_secrets UNION ALL SELECT 'cluster', name FROM mz_clusters) o ORDER"
                    + " BY 1")) {
      List<String> state = new ArrayList<>();
      while (rs.next()) {
        state.add(rs.getString(1));
      }
      return state;
    }
  }
}
