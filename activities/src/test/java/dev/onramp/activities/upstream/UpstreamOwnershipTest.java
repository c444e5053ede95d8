package dev.onramp.activities.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * onramp marks the role and publication it creates and refuses, before changing anything, the
 * master user, an administrator, or a role or publication someone else created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamOwnershipTest {
  @TempDir static Path dir;
  private RdsLikeUpstream upstream;
  private UpstreamActivitiesImpl activities;
  private UpstreamTarget target;
  private static final SecretRef REPL = SecretRef.workerConfig("replication");
  private static final TableSelection ORDERS = TableSelection.tables("orders");
  private static final TableSelection BOTH = TableSelection.tables("orders", "customers");

  @BeforeAll
  void start() {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    activities = new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls());
    target = upstream.target(SecretRef.workerConfig("admin"));
  }

  @AfterAll
  void stop() {
    upstream.close();
  }

  /** Everything a refusal must leave alone: roles, their passwords, comments, publications. */
  private List<String> state() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT 'role ' || rolname || ' login=' || rolcanlogin || ' comment='"
                  + " || coalesce(shobj_description(oid, 'pg_authid'), '-') FROM pg_roles WHERE"
                  + " rolname NOT LIKE 'pg\\_%' UNION ALL SELECT 'publication ' || p.pubname || ' '"
                  + " || coalesce(obj_description(p.oid, 'pg_publication'), '-') || ' ' ||"
                  + " coalesce((SELECT string_agg(tablename, ',' ORDER BY tablename) FROM"
                  + " pg_publication_tables t WHERE t.pubname = p.pubname), '') FROM"
                  + " pg_publication p UNION ALL SELECT 'grant ' || grantee || ' ' ||"
                  + " table_name FROM information_schema.role_table_grants WHERE"
                  + " table_schema = 'public' ORDER BY 1");
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  private void asMaster(String... sql) throws SQLException {
    try (Connection c = upstream.master();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  private static ApplicationFailure refused(String type, ThrowingCallable call) {
    ApplicationFailure f = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(f).as("refused").isNotNull();
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isEqualTo(type);
    return f;
  }

  private boolean masterPasswordWorks() {
    try (Connection ignored = upstream.master()) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Test
  void theMasterUserIsNeverTheReplicationUser() throws Exception {
    List<String> before = state();

    ApplicationFailure preflight =
        refused(
            OnboardingFailures.INVALID_REQUEST,
            () ->
                activities.checkUpstreamOwnership(
                    target, ORDERS, "pub_master", RdsLikeUpstream.MASTER));
    assertThat(preflight.getOriginalMessage())
        .contains(RdsLikeUpstream.MASTER, "master user", "replicationUser");
    // The later step refuses too, and its transaction changes nothing (not even the publication).
    refused(
        OnboardingFailures.INVALID_REQUEST,
        () ->
            activities.ensureUpstreamObjects(
                target, ORDERS, "pub_master", RdsLikeUpstream.MASTER, REPL));

    assertThat(state()).isEqualTo(before);
    assertThat(masterPasswordWorks()).isTrue();
  }

  @Test
  void anRdsSuperuserMemberIsNeverTheReplicationUser() throws Exception {
    asMaster(
        "CREATE ROLE ops_admin LOGIN PASSWORD 'ops-Pa55'",
        "GRANT rds_superuser TO ops_admin",
        // Even marked as onramp's, an administrator is refused.
        "COMMENT ON ROLE ops_admin IS 'managed by onramp'");
    List<String> before = state();

    ApplicationFailure f =
        refused(
            OnboardingFailures.INVALID_REQUEST,
            () -> activities.checkUpstreamOwnership(target, ORDERS, "pub_ops", "ops_admin"));
    assertThat(f.getOriginalMessage()).contains("ops_admin", "rds_superuser");
    refused(
        OnboardingFailures.INVALID_REQUEST,
        () -> activities.ensureUpstreamObjects(target, ORDERS, "pub_ops", "ops_admin", REPL));

    assertThat(state()).isEqualTo(before);
    try (Connection ignored = upstream.as("ops_admin", "ops-Pa55", false)) {
      // its password is unchanged
    }
  }

  @Test
  void aRoleOnrampDidNotCreateKeepsItsPassword() throws Exception {
    asMaster("CREATE ROLE reporting LOGIN PASSWORD 'reporting-Pa55'");
    List<String> before = state();

    ApplicationFailure f =
        refused(
            OnboardingFailures.FOREIGN_OBJECT,
            () -> activities.checkUpstreamOwnership(target, ORDERS, "pub_reporting", "reporting"));
    assertThat(f.getOriginalMessage())
        .contains("role reporting", "not created by onramp", "COMMENT ON ROLE \"reporting\"");
    refused(
        OnboardingFailures.FOREIGN_OBJECT,
        () -> activities.ensureUpstreamObjects(target, ORDERS, "pub_reporting", "reporting", REPL));

    assertThat(state()).isEqualTo(before);
    try (Connection ignored = upstream.as("reporting", "reporting-Pa55", false)) {
      // its password is unchanged
    }
  }

  @Test
  void aForeignPublicationIsUsedAsItIsOrRefusedButNeverAltered() throws Exception {
    asMaster("CREATE PUBLICATION their_pub FOR TABLE orders");
    List<String> before = state();

    // It does not cover customers: onramp would have to ALTER it.
    ApplicationFailure f =
        refused(
            OnboardingFailures.FOREIGN_OBJECT,
            () -> activities.checkUpstreamOwnership(target, BOTH, "their_pub", "repl_pub"));
    assertThat(f.getOriginalMessage())
        .contains(
            "publication their_pub", "public.customers", "COMMENT ON PUBLICATION \"their_pub\"");
    refused(
        OnboardingFailures.FOREIGN_OBJECT,
        () -> activities.ensureUpstreamObjects(target, BOTH, "their_pub", "repl_pub", REPL));
    assertThat(state()).isEqualTo(before);

    // It covers orders: used as it is, nothing added to it.
    activities.checkUpstreamOwnership(target, ORDERS, "their_pub", "repl_pub");
  }

  @Test
  void whatOnrampCreatesIsMarkedAndARerunChangesNothing() throws Exception {
    activities.checkUpstreamOwnership(target, ORDERS, "pub_marked", "repl_marked");
    UpstreamObjects first =
        activities.ensureUpstreamObjects(target, ORDERS, "pub_marked", "repl_marked", REPL);
    assertThat(first.changes())
        .contains("created user repl_marked", "created publication pub_marked");
    assertThat(state())
        .contains(
            "role repl_marked login=true comment=managed by onramp",
            "publication pub_marked managed by onramp orders");

    // A re-run, and preflight of a second onboarding reusing the same user: all onramp's.
    activities.checkUpstreamOwnership(target, BOTH, "pub_marked", "repl_marked");
    List<String> before = state();
    UpstreamObjects again =
        activities.ensureUpstreamObjects(target, ORDERS, "pub_marked", "repl_marked", REPL);
    assertThat(again.changes()).isEmpty();
    assertThat(state()).isEqualTo(before);

    // onramp's own publication may grow.
    UpstreamObjects grown =
        activities.ensureUpstreamObjects(target, BOTH, "pub_marked", "repl_marked", REPL);
    assertThat(grown.changes()).contains("added public.customers to publication pub_marked");
  }

  @Test
  void aRoleMarkedByItsOwnerIsTakenOver() throws Exception {
    asMaster(
        "CREATE ROLE handed_over LOGIN PASSWORD 'old-Pa55'",
        "COMMENT ON ROLE handed_over IS 'managed by onramp'");

    activities.checkUpstreamOwnership(target, ORDERS, "pub_handed", "handed_over");
    UpstreamObjects objects =
        activities.ensureUpstreamObjects(target, ORDERS, "pub_handed", "handed_over", REPL);
    assertThat(objects.changes()).contains("updated the password of handed_over");
  }
}
