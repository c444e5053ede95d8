package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.ExitCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Hostile requests against a running worker, Temporal and the stand-ins: the refused ones are
 * refused before anything starts, the accepted-but-odd ones fail in preflight; either way the
 * emulator's state, the upstream's roles, publications and databases, and the stand-in's catalog
 * are the same afterwards, the master password still opens the instance, and a loopback listener at
 * the host and port a hostile database name names sees no connection.
 */
class HostileRequestsE2eTest {
  @TempDir static Path dir;
  static E2eEnvironment env;
  static ServerSocket listener;
  static final AtomicInteger connections = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                  connections.incrementAndGet();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() throws IOException {
    listener.close();
    if (env != null) {
      env.close();
    }
  }

  private static CliRun start(String... flags) {
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
                "--reboot-policy",
                "IMMEDIATE",
                "--poll-interval",
                "1s",
                "--max-wait",
                "2m",
                "--wait",
                "--timeout",
                "2m"));
    args.addAll(List.of(flags));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** What a hostile request must not change, as text to compare. */
  private static String state() throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append(Files.readString(env.aws.stateDir().resolve("state.json"))).append('\n');
    try (Connection c = env.upstreamAsMaster();
        Statement st = c.createStatement()) {
      for (String q :
          List.of(
              "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles",
              "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database",
              "SELECT string_agg(pubname, ',' ORDER BY pubname) FROM pg_publication",
              "SELECT string_agg(relname || ':' || relreplident::text, ',' ORDER BY relname) FROM pg_class"
                  + " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")) {
        try (ResultSet rs = st.executeQuery(q)) {
          rs.next();
          sb.append(rs.getString(1)).append('\n');
        }
      }
    }
    try (Connection c = env.materialize();
        Statement st = c.createStatement()) {
      for (String relation : List.of("mz_sources", "mz_connections", "mz_secrets", "mz_clusters")) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT string_agg(name, ',' ORDER BY name) FROM mz_catalog." + relation)) {
          rs.next();
          sb.append(relation).append('=').append(rs.getString(1)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** A secret someone else keeps in the account (no managed-by=onramp tag). */
  static final String FOREIGN_SECRET = "payments/db-password";

  @Test
  void hostileRequestsChangeNothingAndReachNoHostTheyName() throws Exception {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(env.aws.endpoint())
            .build()) {
      sm.createSecret(b -> b.name(FOREIGN_SECRET).secretString("not-onramps-" + UUID.randomUUID()));
    }
    String before = state();
    int port = listener.getLocalPort();
    Path notYaml = Files.writeString(dir.resolve("request.yaml"), "{{ this is: [not yaml\n\t");
    Path unknownField =
        Files.writeString(
            dir.resolve("unknown.yaml"),
            "region: us-east-1\ndbInstanceId: e2e-db\ndatabase: shop\ndropEverything: true\n");

    // Refused by the CLI before anything starts (the same checks the REST API and the workflow
    // make), each naming its field.
    List<String[]> refused =
        List.of(
            new String[] {"--database", "shop\"; DROP DATABASE shop; --"},
            new String[] {"--database", "\"shop\"; DROP DATABASE shop; --"},
            new String[] {"--database", "shop?PGHOST=127.0.0.1&PGPORT=" + port},
            new String[] {"--database", "shop?sslmode=disable&host=127.0.0.1&port=" + port},
            new String[] {"--database", "shop/../x%2F#"},
            new String[] {"--database", "shop;"},
            new String[] {"--database", "shop -- comment"},
            new String[] {"--database", "/* c */shop"},
            new String[] {"--database", "shop\u0000"},
            new String[] {"--database", "shop\nDROP"},
            new String[] {"--database", "\u001b[2J"},
            new String[] {"--database", "\"\""},
            new String[] {"--database", "a".repeat(64)},
            new String[] {"--database", "a".repeat(65)},
            new String[] {"--database", "\"" + "\u00e9".repeat(32) + "\""},
            new String[] {"--database", "shop", "--instance", "../e2e-db"},
            new String[] {"--database", "shop", "--instance", "e2e-db?x=1"},
            new String[] {"--database", "shop", "--instance", "e2e%2Fdb"},
            new String[] {"--database", "shop", "--region", "us-east-1\r\nX-Injected: 1"},
            new String[] {"--database", "shop", "--tables", "orders; DROP TABLE orders"},
            new String[] {"--database", "shop", "--tables", "\"a\".b.c"},
            new String[] {
              "--database", "shop", "--tables", String.join(",", Collections.nCopies(6000, "t"))
            },
            new String[] {"--database", "shop", "--publication", "p; DROP PUBLICATION x"},
            new String[] {"--database", "shop", "--replication-user", "x\nALTER ROLE"},
            new String[] {"--database", "shop", "--replication-user", "\"postgres\"--"},
            new String[] {"--database", "shop", "--cluster", "c /* */"},
            new String[] {"--database", "shop", "--cluster-size", "25cc; DROP"},
            new String[] {"--database", "shop", "--source", "src--"},
            new String[] {"--database", "shop", "--replication-secret", "x'; --"},
            new String[] {"--database", "shop", "--admin-credentials", "SECRETS_MANAGER:../../x y"},
            new String[] {"--database", "shop", "--network-mode", "carrier-pigeon"},
            new String[] {"--database", "shop", "--reboot-policy", "whenever"},
            new String[] {"--database", "shop", "--ssl-mode", "verify-nothing"},
            new String[] {"--file", notYaml.toString()},
            new String[] {"--file", unknownField.toString()});
    for (String[] flags : refused) {
      CliRun r = start(flags);
      assertThat(r.code())
          .as(String.join(" ", flags) + ": " + r.printed())
          .isEqualTo(ExitCodes.BAD_INPUT);
    }

    // Valid names (quoted, Unicode, reserved words, 63 bytes), so they reach the worker: each
    // fails in preflight (no such database or table; the master user; a secret onramp did not
    // create), before anything is changed.
    List<String[]> odd =
        List.of(
            new String[] {"--database", "\"shop?PGHOST=127.0.0.1&PGPORT=" + port + "&x=\""},
            new String[] {"--database", "\"shop?host=127.0.0.1&port=" + port + "#/%\""},
            new String[] {"--database", "\"shop\"\"; DROP DATABASE shop; --\""},
            new String[] {"--database", "\"\u65e5\u672c\u8a9e\""},
            new String[] {"--database", "select"},
            new String[] {"--database", "a".repeat(63)},
            new String[] {"--database", "shop", "--tables", "\"orders; DROP TABLE orders\""},
            new String[] {
              "--database", "shop", "--replication-user", env.instance().masterUsername()
            },
            new String[] {"--database", "shop", "--replication-secret", FOREIGN_SECRET});
    for (String[] flags : odd) {
      CliRun r = start(flags);
      assertThat(r.code())
          .as(String.join(" ", flags) + ": " + r.printed())
          .isEqualTo(ExitCodes.ONBOARDING_FAILED);
      assertThat(r.printed())
          .containsAnyOf("does not exist", "check the name", "master user", "did not create");
    }
    assertThat(refused.size() + odd.size()).isGreaterThanOrEqualTo(40);

    assertThat(connections.get()).as("connections to the listener").isZero();
    assertThat(state()).isEqualTo(before);
    // The master password still opens the instance.
    try (Connection c = env.upstreamAsMaster()) {
      assertThat(c.isValid(5)).isTrue();
    }
  }
}
