package dev.onramp.activities.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamActivitiesImplTest {
  @TempDir static Path dir;
  private RdsLikeUpstream upstream;
  private UpstreamActivitiesImpl activities;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final SecretRef ADMIN = SecretRef.workerConfig("admin");
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private static final TableSelection TABLES =
      TableSelection.tables("orders", "\"Odd \"\"name\"\"; yes\"");

  @BeforeAll
  void start() {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    activities = new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls());
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    upstream.close();
  }

  @Test
  void seedChecksAndObjectsAreIdempotentAndQuoteOddNames() throws Exception {
    UpstreamTarget target = upstream.target(ADMIN);
    LogicalReplicationStatus lr = activities.checkLogicalReplication(target);
    assertThat(lr).isEqualTo(new LogicalReplicationStatus("on", "logical"));

    PreflightReport report = activities.preflight(target, TABLES);
    assertThat(report.serverVersion()).startsWith("16");
    assertThat(report.tables())
        .containsExactly("public.orders", "public.\"Odd \"\"name\"\"; yes\"");
    assertThat(report.tablesWithoutPrimaryKey())
        .containsExactly("public.\"Odd \"\"name\"\"; yes\"");

    UpstreamObjects first =
        activities.ensureUpstreamObjects(target, TABLES, "mz_source", "materialize", REPL);
    assertThat(first.changes()).isNotEmpty();
    UpstreamObjects second =
        activities.ensureUpstreamObjects(target, TABLES, "mz_source", "materialize", REPL);
    assertThat(second.changes()).isEmpty();
    assertThat(second.tables()).isEqualTo(first.tables());

    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT count(*), string_agg(tablename, ',' ORDER BY tablename) FROM"
                  + " pg_publication_tables WHERE pubname = 'mz_source'");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
      assertThat(rs.getString(2)).isEqualTo(RdsLikeUpstream.ODD_TABLE + ",orders");
      rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_class WHERE relname IN ('orders', '"
                  + RdsLikeUpstream.ODD_TABLE.replace("'", "''")
                  + "') AND relreplident = 'f'");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
      assertThat(st.executeQuery("SELECT count(*) FROM pg_publication").next()).isTrue();
    }
    // The replication user logs in, reads the odd table and may start a walsender.
    try (Connection c =
            upstream.as(
                RdsLikeUpstream.REPLICATION_USER, RdsLikeUpstream.REPLICATION_PASSWORD, false);
        Statement st = c.createStatement()) {
      ResultSet rs = st.executeQuery("SELECT count(*) FROM \"Odd \"\"name\"\"; yes\"");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try (Connection c =
              upstream.as(
                  RdsLikeUpstream.REPLICATION_USER, RdsLikeUpstream.REPLICATION_PASSWORD, true);
          Statement st = c.createStatement()) {
        st.execute("IDENTIFY_SYSTEM");
        break;
      } catch (java.sql.SQLException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }

    List<String> findings = activities.verify(target, TABLES, "mz_source", "materialize");
    assertThat(findings).containsExactly("no Materialize replication slot in database shop");

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(RdsLikeUpstream.REPLICATION_PASSWORD));
    assertThat(first.toString() + second + report)
        .doesNotContain(RdsLikeUpstream.REPLICATION_PASSWORD);
  }

  @Test
  void badInputIsANonRetryableFailureNamingTheFix() throws Exception {
    UpstreamTarget target = upstream.target(ADMIN);
    ApplicationFailure missing =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.preflight(target, TableSelection.tables("public.no_such_table")));
    assertThat(missing.getType()).isEqualTo(OnboardingFailures.TABLE_NOT_FOUND);
    assertThat(missing.isNonRetryable()).isTrue();
    assertThat(missing.getOriginalMessage()).contains("public.no_such_table").contains("shop");

    ApplicationFailure password =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.checkLogicalReplication(
                    upstream.target(SecretRef.workerConfig("wrong-admin"))));
    assertThat(password.getType()).isEqualTo(OnboardingFailures.BAD_CREDENTIALS);
    assertThat(password.isNonRetryable()).isTrue();
    assertThat(password.getOriginalMessage()).contains("password authentication failed");

    // An admin that is not in rds_superuser.
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE plain_admin LOGIN PASSWORD 'plain-Pa55'");
      st.execute("GRANT CREATE ON SCHEMA public TO plain_admin");
    }
    // A table the admin does not own (PostgreSQL 16 gives the creator of a role only ADMIN on
    // it, not its privileges), without REPLICA IDENTITY FULL.
    try (Connection c = upstream.as("plain_admin", "plain-Pa55", false);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE foreign_owned (id int PRIMARY KEY)");
    }
    ApplicationFailure notAdmin =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                new UpstreamActivitiesImpl(
                        (region, ref, fallback) ->
                            new dev.onramp.activities.secrets.Credentials(
                                "plain_admin", "plain-Pa55"),
                        upstream.tls())
                    .preflight(target, TableSelection.tables("orders")));
    assertThat(notAdmin.getType()).isEqualTo(OnboardingFailures.PERMISSION_DENIED);
    assertThat(notAdmin.getOriginalMessage()).contains("plain_admin").contains("rds_superuser");

    ApplicationFailure notReplicable =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.preflight(target, TableSelection.tables("foreign_owned")));
    assertThat(notReplicable.getType()).isEqualTo(OnboardingFailures.TABLE_NOT_REPLICABLE);
    assertThat(notReplicable.getOriginalMessage())
        .contains("foreign_owned")
        .contains("plain_admin")
        .contains("REPLICA IDENTITY FULL");
  }
}
