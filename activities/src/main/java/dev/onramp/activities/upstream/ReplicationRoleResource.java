package dev.onramp.activities.upstream;

import static dev.onramp.activities.upstream.UpstreamTables.display;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.Ownership;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * The login role Materialize replicates as. Created and marked with {@code COMMENT ON ROLE} in the
 * same transaction; its password is set from the secret (hashed by pgjdbc on the client, so the
 * plain text never reaches the server); a role onramp did not create, the master user or an
 * administrator is refused before anything changes.
 */
final class ReplicationRoleResource implements UpstreamResource {
  private static final String MARK = PublicationResource.MARK;

  @Override
  public ResourceKind kind() {
    return ResourceKind.REPLICATION_ROLE;
  }

  /** What exists: the role, and whether it may log in. */
  record State(boolean exists, boolean canLogin) {}

  static State inspect(Connection c, String user) throws SQLException {
    String login = Sql.single(c, "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = ?", user);
    return new State(login != null, "true".equals(login));
  }

  @Override
  public List<PlannedChange> plan(UpstreamSession s) throws SQLException {
    refuseUnsafe(s.c, s.target, s.user);
    State st = inspect(s.c, s.user);
    PlannedChange change =
        !st.exists()
            ? new PlannedChange(
                kind(), s.user, PlanAction.CREATE, "LOGIN, password from the secret")
            : !st.canLogin()
                ? new PlannedChange(kind(), s.user, PlanAction.CHANGE, "onramp's role; allow LOGIN")
                : new PlannedChange(
                    kind(),
                    s.user,
                    PlanAction.REUSE,
                    "onramp's role; its password is set from the secret if it differs");
    return List.of(change);
  }

  @Override
  public List<LedgerEntry> converge(UpstreamSession s) throws SQLException {
    Map<String, String> attributes = Map.of("database", s.target.database());
    String role = SqlIdentifiers.quote(s.user);
    refuseUnsafe(s.c, s.target, s.user);
    State st = inspect(s.c, s.user);
    if (!st.exists()) {
      UpstreamDdl.exec(s.c, "CREATE ROLE " + role + " LOGIN", "CREATE ROLE " + s.user);
      // In the same transaction as the CREATE: it is never there unmarked.
      UpstreamDdl.exec(s.c, "COMMENT ON ROLE " + role + " IS " + MARK, "COMMENT ON ROLE " + s.user);
      setPassword(s.c, s.user, s.password);
      s.changes.add("created user " + s.user);
      return List.of(LedgerEntry.created(kind(), s.user).withAttributes(attributes));
    }
    LedgerEntry entry = LedgerEntry.reused(kind(), s.user);
    if (!st.canLogin()) {
      UpstreamDdl.exec(s.c, "ALTER ROLE " + role + " LOGIN", "ALTER ROLE " + s.user);
      s.changes.add("allowed " + s.user + " to log in");
      entry = LedgerEntry.changed(kind(), s.user, "NOLOGIN");
    }
    // A new password is no change of shape: the role stays as the ledger has it.
    if (!s.connector.passwordWorks(s.target, s.user, s.password)) {
      setPassword(s.c, s.user, s.password);
      s.changes.add("updated the password of " + s.user);
    }
    return List.of(entry.withAttributes(attributes));
  }

  private static void setPassword(Connection c, String user, String password) throws SQLException {
    // pgjdbc computes the SCRAM verifier locally: the server only ever sees the hash.
    c.unwrap(PGConnection.class).alterUserPassword(user, password.toCharArray(), "scram-sha-256");
  }

  @Override
  public List<Finding> drift(UpstreamSession s) throws SQLException {
    State st = inspect(s.c, s.user);
    String role = SqlIdentifiers.quote(s.user);
    if (!st.exists()) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              s.user,
              "replication user " + s.user + " does not exist",
              "run the onboarding again (it recreates the role with the password from its"
                  + " secret), or CREATE ROLE "
                  + role
                  + " LOGIN; COMMENT ON ROLE "
                  + role
                  + " IS "
                  + MARK
                  + "; and set its password from the replication secret with \\password "
                  + role));
    }
    if (!st.canLogin()) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              s.user,
              "replication user " + s.user + " may not log in",
              "ALTER ROLE " + role + " LOGIN;"));
    }
    return List.of();
  }

  /**
   * Drops the role when it is onramp's. Whatever it still holds in this database is revoked first
   * (the grants onramp gave are revoked by {@link GrantsResource}, which removes before it; a
   * re-run's ledger may say REUSED for them) and whatever it owns is reassigned to the admin; a
   * role that still holds something elsewhere is kept and reported with what holds it.
   */
  @Override
  public Removal remove(UpstreamSession s, LedgerEntry entry) throws SQLException {
    String user = entry.identifier();
    if (!inspect(s.c, user).exists()) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "role no longer exists");
    }
    if (!isOnramps(s.c, user) || UpstreamTables.isAdmin(s.c, user)) {
      return entry.outcome() == Outcome.REUSED
          ? Removal.of(entry, RemovalOutcome.KEPT_NOT_OURS, "not created by onramp; left in place")
          : Removal.of(
              entry,
              RemovalOutcome.KEPT_CHANGED,
              "it no longer carries onramp's comment (someone took it over); left in place");
    }
    String role = SqlIdentifiers.quote(user);
    String elsewhere = usedElsewhere(s.c, user);
    if (elsewhere != null) {
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "role "
              + display(user)
              + " still holds privileges in database(s) "
              + elsewhere
              + " (another onboarding on this instance uses it); kept. Offboarding the last of"
              + " them drops it");
    }
    Savepoint before = s.c.setSavepoint();
    try {
      if (Sql.exists(s.c, DEPENDENCIES + " AND d.deptype = 'o'", user)) {
        Sql.exec(s.c, "REASSIGN OWNED BY " + role + " TO CURRENT_USER");
      }
      for (String object : Sql.column(s.c, ACL_OBJECTS, user)) {
        Sql.exec(s.c, "REVOKE ALL ON " + object + " FROM " + role);
      }
      Sql.exec(s.c, "DROP ROLE " + role);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (!state.equals("2BP01") && !state.equals("42501")) {
        throw e;
      }
      s.c.rollback(before);
      return Removal.of(
          entry,
          RemovalOutcome.KEPT_CHANGED,
          "role "
              + display(user)
              + " still holds or owns something onramp did not give it ("
              + e.getMessage()
              + "); revoke or reassign that, then run DROP ROLE "
              + role);
    }
    return Removal.of(entry, RemovalOutcome.REMOVED, "dropped role " + display(user));
  }

  /**
   * The other databases of the instance where the role holds or owns something, comma-separated, or
   * null: the role and its cluster-wide privileges (replication) serve those too.
   */
  static String usedElsewhere(Connection c, String user) throws SQLException {
    return Sql.single(
        c,
        "SELECT string_agg(DISTINCT db.datname, ', ') FROM pg_shdepend d JOIN pg_database db ON"
            + " db.oid = d.dbid WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid ="
            + " (SELECT oid FROM pg_roles WHERE rolname = ?) AND db.datname <> current_database()",
        user);
  }

  /** The role's dependencies recorded in this database or on shared objects (databases). */
  private static final String DEPENDENCIES =
      "SELECT 1 FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid ="
          + " (SELECT oid FROM pg_roles WHERE rolname = ?) AND d.dbid IN (0, (SELECT oid FROM"
          + " pg_database WHERE datname = current_database()))";

  /** What the role holds privileges on (tables, schemas, databases), as GRANT/REVOKE names them. */
  private static final String ACL_OBJECTS =
      "SELECT CASE d.classid WHEN 'pg_class'::regclass THEN 'TABLE ' || d.objid::regclass::text"
          + " WHEN 'pg_namespace'::regclass THEN 'SCHEMA ' || quote_ident(n.nspname) WHEN"
          + " 'pg_database'::regclass THEN 'DATABASE ' || quote_ident(db.datname) END FROM"
          + " pg_shdepend d LEFT JOIN pg_namespace n ON d.classid = 'pg_namespace'::regclass AND"
          + " n.oid = d.objid LEFT JOIN pg_database db ON d.classid = 'pg_database'::regclass AND"
          + " db.oid = d.objid WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid ="
          + " (SELECT oid FROM pg_roles WHERE rolname = ?) AND d.deptype = 'a' AND d.dbid IN (0,"
          + " (SELECT oid FROM pg_database WHERE datname = current_database())) AND d.classid IN"
          + " ('pg_class'::regclass, 'pg_namespace'::regclass, 'pg_database'::regclass)";

  static boolean isOnramps(Connection c, String user) throws SQLException {
    return Ownership.isOnrampComment(
        Sql.single(
            c, "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?", user));
  }

  /**
   * The replication user gets a password onramp generates: it must never be the master user (or
   * whoever onramp logs in as), an administrator, or a role someone else created.
   */
  static void refuseUnsafe(Connection c, UpstreamTarget target, String user) throws SQLException {
    String admin = UpstreamTables.currentUser(c);
    if (user.equals(admin) || user.equals(target.masterUsername())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "replicationUser "
              + display(user)
              + " is the instance's master user; onramp sets the replication user's password and"
              + " would lock every later admin step (and every person using that login) out."
              + " Leave replicationUser unset (default "
              + OnboardingRequest.DEFAULT_REPLICATION_USER
              + ") or name a user of its own");
    }
    if (!inspect(c, user).exists()) {
      return;
    }
    if (UpstreamTables.isAdmin(c, user)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "replicationUser "
              + display(user)
              + " is a superuser or a member of rds_superuser; a replication user needs"
              + " rds_replication and SELECT only, and onramp would change this administrator's"
              + " password. Name a user of its own (default "
              + OnboardingRequest.DEFAULT_REPLICATION_USER
              + ")");
    }
    if (!isOnramps(c, user)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "role "
              + display(user)
              + " already exists and was not created by onramp (it has no '"
              + Ownership.COMMENT
              + "' comment); onramp would have to set its password, breaking whatever logs in"
              + " with it. Choose another replicationUser, or, if this role is meant for onramp"
              + " only, run COMMENT ON ROLE "
              + SqlIdentifiers.quote(user)
              + " IS "
              + MARK
              + " and start again (onramp will then set its password)");
    }
  }
}
