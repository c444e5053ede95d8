package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.sandbox.aws.ec2.EndpointService;
import dev.onramp.sandbox.bastion.Bastion;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.OnboardingWorkflow;
import dev.onramp.workflows.OnboardingWorkflows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Network modes SSH_BASTION (through a real SSH bastion, MINA SSHD) and PRIVATELINK_SERVICE
 * (against the emulator's endpoint service), each end to end on a real Temporal server: onramp
 * creates the tunnel connection, shows where its keys / principal go, waits for {@code onramp
 * confirm-network}, reports a failing validation with what to fix, waits again, then ingests.
 */
class NetworkPathsE2eTest {
  static final String PRIVATE_DATABASE = "vault";
  static final String LOST_DATABASE = "lost";

  @TempDir static Path dir;
  static E2eEnvironment env;
  static Bastion bastion;
  static Ec2Client ec2;

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.mz.usePrivateLinkEndpoints(env.aws.endpointServices().endpoints());
    bastion = Bastion.start(dir.resolve("bastion"), "ec2-user");
    try (Connection c = env.upstreamAsMaster();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + PRIVATE_DATABASE);
      st.execute("CREATE DATABASE " + LOST_DATABASE);
    }
    var i = env.instance();
    try (Connection c =
            java.sql.DriverManager.getConnection(
                i.jdbcUrl()
                    .replace("/" + E2eEnvironment.DATABASE + "?", "/" + PRIVATE_DATABASE + "?"),
                i.masterUsername(),
                i.masterPassword());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ledger (id int PRIMARY KEY, amount int NOT NULL)");
      st.execute("INSERT INTO ledger SELECT g, g FROM generate_series(1, 25) g");
    }
    try (Connection c =
            java.sql.DriverManager.getConnection(
                i.jdbcUrl().replace("/" + E2eEnvironment.DATABASE + "?", "/" + LOST_DATABASE + "?"),
                i.masterUsername(),
                i.masterPassword());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE parcels (id int PRIMARY KEY)");
    }
    ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build();
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() throws Exception {
    if (ec2 != null) {
      ec2.close();
    }
    if (bastion != null) {
      bastion.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void sshBastionWaitsForTheKeysSaysWhatToFixThenIngestsThroughTheTunnel() throws Exception {
    String target = target(E2eEnvironment.DATABASE);
    assertThat(
            cli(
                start(
                    E2eEnvironment.DATABASE,
                    "orders",
                    "--network-mode",
                    "SSH_BASTION",
                    "--ssh-host",
                    bastion.host(),
                    "--ssh-port",
                    String.valueOf(bastion.port()),
                    "--ssh-user",
                    "ec2-user")))
        .isZero();

    OnboardingProgress waiting =
        awaitProgress(
            E2eEnvironment.DATABASE,
            p -> p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION);
    List<String> keys = publicKeys("shop_connection_ssh_tunnel");
    String shown = waiting.step(OnboardingStep.NETWORK).message();
    assertThat(shown)
        .contains("~ec2-user/.ssh/authorized_keys")
        .contains(keys.get(0))
        .contains(keys.get(1));

    // Confirmed before the keys are in place: validation fails, says what to fix, waits again.
    assertThat(cli("confirm-network", "--temporal-address", env.temporal.address(), target))
        .isZero();
    OnboardingProgress failed =
        awaitProgress(
            E2eEnvironment.DATABASE,
            p ->
                p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION
                    && p.step(OnboardingStep.NETWORK).message().contains("validation failed"));
    assertThat(failed.step(OnboardingStep.NETWORK).message())
        .contains("Permission denied (publickey)")
        .contains("add both public keys");

    bastion.authorize(keys.get(0));
    bastion.authorize(keys.get(1));
    assertThat(cli("confirm-network", "--temporal-address", env.temporal.address(), target))
        .isZero();
    OnboardingProgress done =
        awaitProgress(E2eEnvironment.DATABASE, p -> p.status() == OnboardingStatus.COMPLETED);
    assertThat(done.step(OnboardingStep.NETWORK).message()).contains("validated");
    awaitCount("shop_source_orders", "100");
    assertThat(bastion.activeSessions()).isPositive();
    assertThat(connectionDefinition("shop_connection")).contains("SSH TUNNEL");
  }

  @Test
  void privatelinkServiceWaitsForThePrincipalAndAcceptanceThenIngests() throws Exception {
    EndpointService service =
        env.aws.endpointServices().create(true, List.of("use1-az1", "use1-az4"));
    String target = target(PRIVATE_DATABASE);
    assertThat(
            cli(
                start(
                    PRIVATE_DATABASE,
                    "ledger",
                    "--network-mode",
                    "PRIVATELINK_SERVICE",
                    "--privatelink-service",
                    service.serviceName,
                    "--availability-zones",
                    "use1-az1,use1-az4")))
        .isZero();
    OnboardingProgress waiting =
        awaitProgress(
            PRIVATE_DATABASE, p -> p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION);
    String principal = principal("vault_connection_privatelink");
    assertThat(principal).startsWith("arn:aws:iam::664411391173:role/mz_");
    assertThat(waiting.step(OnboardingStep.NETWORK).message()).contains(principal);

    // The principal allowed, but the endpoint not yet accepted: the run names the command.
    ec2.modifyVpcEndpointServicePermissions(
        r -> r.serviceId(service.serviceId).addAllowedPrincipals(principal));
    assertThat(cli("confirm-network", "--temporal-address", env.temporal.address(), target))
        .isZero();
    OnboardingProgress failed =
        awaitProgress(
            PRIVATE_DATABASE,
            p ->
                p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION
                    && p.step(OnboardingStep.NETWORK).message().contains("validation failed"));
    assertThat(failed.step(OnboardingStep.NETWORK).message())
        .contains("pending-acceptance")
        .contains("aws ec2 accept-vpc-endpoint-connections")
        .contains(service.serviceId);

    String endpoint =
        ec2.describeVpcEndpointConnections(
                r -> r.filters(f -> f.name("service-id").values(service.serviceId)))
            .vpcEndpointConnections()
            .get(0)
            .vpcEndpointId();
    ec2.acceptVpcEndpointConnections(r -> r.serviceId(service.serviceId).vpcEndpointIds(endpoint));
    assertThat(cli("confirm-network", "--temporal-address", env.temporal.address(), target))
        .isZero();
    awaitProgress(PRIVATE_DATABASE, p -> p.status() == OnboardingStatus.COMPLETED);
    awaitCount("vault_source_ledger", "25");
    assertThat(connectionDefinition("vault_connection")).contains("AWS PRIVATELINK");
  }

  @Test
  void aServiceNameOfTheWrongFormIsRefusedBeforeAnythingIsCreated() throws Exception {
    CliRun run =
        CliRun.of(
            start(
                "nowhere",
                "t",
                "--network-mode",
                "PRIVATELINK_SERVICE",
                "--privatelink-service",
                "vpce-svc-0123456789abcdef0"));
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.printed()).contains("is not a VPC endpoint service name");
  }

  @Test
  void aBastionThatDoesNotResolveStopsTheRunAtPreflightWithNothingCreated() throws Exception {
    assertThat(
            cli(
                start(
                    LOST_DATABASE,
                    "parcels",
                    "--network-mode",
                    "SSH_BASTION",
                    "--ssh-host",
                    "bastion.invalid",
                    "--ssh-user",
                    "ec2-user")))
        .isZero();
    OnboardingProgress failed =
        awaitProgress(LOST_DATABASE, p -> p.status() == OnboardingStatus.FAILED, true);
    assertThat(failed.currentStep()).isEqualTo(OnboardingStep.PREFLIGHT);
    assertThat(failed.step(OnboardingStep.PREFLIGHT).message())
        .contains("network.sshHost: the bastion host bastion.invalid does not resolve");
    assertThat(failed.ledger()).isEmpty();
  }

  // ---- helpers ----

  private static String target(String database) {
    return E2eEnvironment.REGION + "/" + E2eEnvironment.INSTANCE + "/" + database;
  }

  private static String[] start(String database, String tables, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--temporal-address",
                env.temporal.address(),
                "--task-queue",
                env.taskQueue,
                "--region",
                E2eEnvironment.REGION,
                "--instance",
                E2eEnvironment.INSTANCE,
                "--database",
                database,
                "--tables",
                tables,
                "--reboot-policy",
                "IMMEDIATE",
                "--poll-interval",
                "1s",
                "--max-wait",
                "5m",
                "--approval-timeout",
                "10m",
                "--reverify-every",
                "1h"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static int cli(String... args) {
    return CliRun.of(args).code();
  }

  private static OnboardingProgress awaitProgress(
      String database, Predicate<OnboardingProgress> reached) throws Exception {
    return awaitProgress(database, reached, false);
  }

  private static OnboardingProgress awaitProgress(
      String database, Predicate<OnboardingProgress> reached, boolean failureExpected)
      throws Exception {
    OnboardingWorkflow wf =
        env.temporal
            .client()
            .newWorkflowStub(
                OnboardingWorkflow.class,
                OnboardingWorkflows.workflowId(
                    E2eEnvironment.REGION, E2eEnvironment.INSTANCE, database));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      OnboardingProgress p = wf.progress();
      if (reached.test(p)) {
        return p;
      }
      if ((!failureExpected && p.status() == OnboardingStatus.FAILED)
          || System.nanoTime() > deadline) {
        String log = java.nio.file.Files.readString(dir.resolve("worker.log"));
        throw new AssertionError(
            "never reached the expected state: "
                + p
                + "\nworker log:\n"
                + log.substring(Math.max(0, log.length() - 6000)));
      }
      Thread.sleep(250);
    }
  }

  private static List<String> publicKeys(String connection) throws SQLException {
    try (Connection mz = env.materialize()) {
      return Seed.queryStrings(
          mz,
          "SELECT t.public_key_1 FROM mz_ssh_tunnel_connections t JOIN mz_connections c USING"
              + " (id) WHERE c.name = '"
              + connection
              + "' UNION ALL SELECT t.public_key_2 FROM mz_ssh_tunnel_connections t JOIN"
              + " mz_connections c USING (id) WHERE c.name = '"
              + connection
              + "'");
    }
  }

  private static String principal(String connection) throws SQLException {
    try (Connection mz = env.materialize()) {
      return Seed.queryStrings(
              mz,
              "SELECT p.principal FROM mz_aws_privatelink_connections p JOIN mz_connections c"
                  + " USING (id) WHERE c.name = '"
                  + connection
                  + "'")
          .get(0);
    }
  }

  private static String connectionDefinition(String connection) throws SQLException {
    try (Connection mz = env.materialize()) {
      return Seed.queryStrings(
              mz, "SELECT create_sql FROM mz_connections WHERE name = '" + connection + "'")
          .get(0);
    }
  }

  private static void awaitCount(String relation, String expected) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      try (Connection mz = env.materialize()) {
        last = Seed.queryStrings(mz, "SELECT count(*)::text FROM " + relation).get(0);
        if (expected.equals(last)) {
          return;
        }
      } catch (SQLException notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(250);
    }
    throw new AssertionError(relation + " in Materialize: " + last + ", wanted " + expected);
  }
}
