package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.pg.PgConnectionProperties;
import dev.onramp.cli.Onramp;
import dev.onramp.sandbox.aws.InstanceInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database and a publication whose names need quoting, onboarded end to end (CLI, worker process,
 * Temporal, the AWS emulator with a reboot, the Materialize stand-in) with every connection
 * verifying its server: the objects carry the names the person wrote, quoted once.
 */
class QuotedNamesE2eTest {
  @TempDir static Path dir;
  static E2eEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    env = new E2eEnvironment(dir, Duration.ofSeconds(2));
    try (Connection c = env.upstreamAsMaster();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE \"Shop Floor\"");
    }
    try (Connection c = shopFloor();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
      st.execute("INSERT INTO orders SELECT g, 'bolt ' || g FROM generate_series(1, 30) g");
      st.execute("CREATE TABLE \"Line Items\" (id int PRIMARY KEY, qty int)");
      st.execute("INSERT INTO \"Line Items\" VALUES (1, 3), (2, 4)");
    }
    env.startWorker("worker");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  private static Connection shopFloor() throws Exception {
    InstanceInfo i = env.instance();
    Properties p = PgConnectionProperties.of(i.host(), i.port(), "Shop Floor");
    p.setProperty("user", i.masterUsername());
    p.setProperty("password", i.masterPassword());
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslrootcert", env.aws.caCertificate().toString());
    return DriverManager.getConnection(PgConnectionProperties.URL, p);
  }

  @Test
  void aQuotedDatabaseAndPublicationAreOnboardedUnderTheirOwnNames() throws Exception {
    CliRun run =
        CliRun.of(
            env.startImmediate(
                "\"Shop Floor\"", "Orders,\"Line Items\"", "--publication", "\"Pub-1\""));
    String out = run.out();
    assertThat(run.code()).as("stdout:%n%s%nstderr:%n%s", out, run.err()).isZero();
    assertThat(out).contains("started onboard/us-east-1/e2e-db/Shop Floor");

    try (Connection c = shopFloor();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT string_agg(pubname || ':' || tablename, ',' ORDER BY tablename) FROM"
                    + " pg_publication_tables")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("Pub-1:Line Items,Pub-1:orders");
    }
    try (Connection c = env.materialize();
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT (SELECT count(*) FROM mz_sources WHERE name = 'shop_floor_source'),"
                  + " (SELECT count(*) FROM mz_connections WHERE name = 'shop_floor_connection')");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(1);
      long deadline = System.currentTimeMillis() + 60_000;
      while (true) {
        rs = st.executeQuery("SELECT count(*) FROM shop_floor_source_orders");
        rs.next();
        if (rs.getInt(1) == 30 || System.currentTimeMillis() > deadline) {
          assertThat(rs.getInt(1)).isEqualTo(30);
          break;
        }
        Thread.sleep(500);
      }
    }
    // Re-verification finds the same objects by the same values: healthy.
    assertThat(
            Onramp.commandLine()
                .execute(
                    "verify",
                    "--temporal-address",
                    env.temporal.address(),
                    "--task-queue",
                    env.taskQueue,
                    "us-east-1/e2e-db/\"Shop Floor\""))
        .isZero();
  }
}
