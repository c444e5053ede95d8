package dev.onramp.activities.upstream;

import dev.onramp.activities.jdbc.SqlFailures;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.pg.PgConnectionProperties;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.activities.secrets.Credentials;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.Ownership;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UpstreamActivities} over JDBC as the instance's admin user (a member of {@code
 * rds_superuser} on RDS). Every step looks first and changes only what is missing, so a re-run
 * after a crash finishes the job and a second run changes nothing. Identifiers are always quoted;
 * values are bound, except the replication password, which pgjdbc hashes (SCRAM) on the client so
 * the plain text never reaches the server, a log or an error message.
 */
public final class UpstreamActivitiesImpl implements UpstreamActivities {

  private static final Logger log = LoggerFactory.getLogger(UpstreamActivitiesImpl.class);
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

  /** Schemas that never hold replicated tables. */
  private static final String SYSTEM_SCHEMAS =
      "('pg_catalog', 'information_schema', 'pg_toast', 'rds_catalog')";

  /** More WAL than this held back by the source's slot is reported by {@link #verify}. */
  static final long WAL_RETENTION_WARNING_BYTES = 1024L * 1024 * 1024;

  /**
   * How long one DDL statement may wait for its table lock. {@code ALTER TABLE ... REPLICA
   * IDENTITY} needs an ACCESS EXCLUSIVE lock: queued behind a long-running reader it would block
   * every writer that comes after it, so it gives up quickly and the attempt is retried later.
   */
  static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  /** Bounds any single statement of the upstream step. */
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);

  private final CredentialResolver resolver;
  private final PgTls tls;
  private final Duration lockTimeout;

  /** Upstream connections verify the server against the RDS global bundle (the default path). */
  public UpstreamActivitiesImpl(CredentialResolver resolver) {
    this(resolver, PgTls.upstreamDefault(), DEFAULT_LOCK_TIMEOUT);
  }

  /** Upstream connections check the server as {@code tls} says (the worker's configuration). */
  public UpstreamActivitiesImpl(CredentialResolver resolver, PgTls tls) {
    this(resolver, tls, DEFAULT_LOCK_TIMEOUT);
  }

  public UpstreamActivitiesImpl(CredentialResolver resolver, PgTls tls, Duration lockTimeout) {
    this.resolver = resolver;
    this.tls = tls;
    this.lockTimeout = lockTimeout;
    if (!tls.verifies()) {
      log.warn(
          "upstream connections use sslmode={}: the server's certificate is not verified, so a"
              + " host in the path could pose as the database and receive the admin password;"
              + " set upstream.sslMode to verify-full with upstream.sslRootCert",
          tls.sslMode());
    }
  }

  // ---- connections ----

  private Connection connect(UpstreamTarget target) {
    Credentials admin =
        resolver.resolve(target.region(), target.adminCredentials(), target.masterUsername());
    return connect(target, admin.username(), admin.password(), "the admin user");
  }

  private Connection connect(UpstreamTarget target, String user, String password, String who) {
    Properties p = PgConnectionProperties.of(target.host(), target.port(), target.database());
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    // The worker's TLS setting, not the target's: verification is not a request's to turn off.
    tls.applyTo(p);
    p.setProperty("ApplicationName", "onramp");
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "120");
    try {
      return DriverManager.getConnection(PgConnectionProperties.URL, p);
    } catch (SQLException e) {
      if (PgTls.isVerificationFailure(e)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TLS_VERIFICATION,
            tls.verificationAdvice(target.host() + ":" + target.port(), "upstream")
                + " (for RDS: global-bundle.pem): "
                + e.getMessage());
      }
      throw connectFailure(target, user, who, e);
    }
  }

  private static ApplicationFailure connectFailure(
      UpstreamTarget target, String user, String who, SQLException e) {
    String where = target.host() + ":" + target.port() + "/" + target.database();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("28P01") || state.equals("28000")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.BAD_CREDENTIALS,
          "cannot log in to "
              + where
              + " as "
              + user
              + " ("
              + who
              + "): "
              + e.getMessage()
              + "; check the credentials in "
              + target.adminCredentials()
              + " and that pg_hba.conf / the security group allow this client");
    }
    if (state.equals("3D000")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "database " + target.database() + " does not exist on " + target.dbInstanceId());
    }
    if (state.equals("42501")) {
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.PERMISSION_DENIED,
          user
              + " may not connect to "
              + where
              + ": "
              + e.getMessage()
              + "; GRANT CONNECT ON DATABASE to it");
    }
    // Network trouble or a rebooting instance: worth retrying.
    return ApplicationFailure.newFailureWithCause(
        "cannot reach " + where + ": " + e.getMessage(), OnboardingFailures.NOT_REACHABLE, e);
  }

  private static ApplicationFailure sqlFailure(String what, SQLException e) {
    return SqlFailures.classify(e, what);
  }

  // ---- activities ----

  @Override
  public LogicalReplicationStatus checkLogicalReplication(UpstreamTarget target) {
    try (Connection c = connect(target)) {
      String walLevel = single(c, "SHOW wal_level");
      // The seed's query. On RDS the row exists; stock PostgreSQL has no such setting, and there
      // wal_level alone decides.
      String rds =
          single(c, "SELECT setting FROM pg_settings WHERE name = 'rds.logical_replication'");
      if (rds == null) {
        rds = "logical".equals(walLevel) ? "on" : "off";
      } else if (rds.equals("1")) {
        rds = "on";
      } else if (rds.equals("0")) {
        rds = "off";
      }
      return new LogicalReplicationStatus(rds, walLevel);
    } catch (SQLException e) {
      throw sqlFailure("checking logical replication on " + target.dbInstanceId(), e);
    }
  }

  @Override
  public PreflightReport preflight(UpstreamTarget target, TableSelection tables) {
    try (Connection c = connect(target)) {
      String version = single(c, "SHOW server_version");
      if (!isAdmin(c)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.PERMISSION_DENIED,
            "user "
                + single(c, "SELECT current_user")
                + " is neither a superuser nor a member of rds_superuser; use the instance's"
                + " master user (or GRANT rds_superuser to it)");
      }
      List<QualifiedName> resolved = resolve(c, target, tables);
      List<String> withoutPk = new ArrayList<>();
      for (QualifiedName t : resolved) {
        boolean hasPk =
            exists(
                c,
                "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'p'",
                t.quoted());
        if (!hasPk) {
          withoutPk.add(display(t));
        }
        String identity = replicaIdentity(c, t);
        if (!"f".equals(identity) && !canAlter(c, t)) {
          throw OnboardingFailures.nonRetryable(
              OnboardingFailures.TABLE_NOT_REPLICABLE,
              "table "
                  + display(t)
                  + " does not have REPLICA IDENTITY FULL and "
                  + single(c, "SELECT current_user")
                  + " cannot set it (it is owned by "
                  + single(
                      c,
                      "SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename = ?",
                      t.schema(),
                      t.name())
                  + "); have the owner run ALTER TABLE "
                  + t.quoted()
                  + " REPLICA IDENTITY FULL, or grant the owner role to the admin user");
        }
      }
      return new PreflightReport(
          version,
          resolved.stream().map(UpstreamActivitiesImpl::display).toList(),
          withoutPk,
          resolved);
    } catch (SQLException e) {
      throw sqlFailure("preflight on " + target.dbInstanceId(), e);
    }
  }

  @Override
  public UpstreamObjects ensureUpstreamObjects(
      UpstreamTarget target,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef replicationPassword) {
    String password =
        resolver.resolve(target.region(), replicationPassword, replicationUser).password();
    List<String> changes = new ArrayList<>();
    List<QualifiedName> resolved;
    String note;
    try (Connection c = connect(target)) {
      resolved = resolve(c, target, tables);
      // One transaction: a failure (a lock not granted in time included) leaves nothing half done.
      c.setAutoCommit(false);
      guardDdl(c, target);
      for (QualifiedName t : resolved) {
        if (!"f".equals(replicaIdentity(c, t))) {
          exec(
              c,
              "ALTER TABLE " + t.quoted() + " REPLICA IDENTITY FULL",
              "REPLICA IDENTITY FULL on " + display(t),
              display(t));
          changes.add("set REPLICA IDENTITY FULL on " + display(t));
        }
      }
      note = ensurePublication(c, publication, tables.mode(), resolved, changes);
      ensureRole(c, target, replicationUser, password, changes);
      ensureReplication(c, replicationUser, changes);
      if (!bool(
          c, "SELECT has_database_privilege(?, current_database(), 'CONNECT')", replicationUser)) {
        exec(
            c,
            "GRANT CONNECT ON DATABASE "
                + SqlIdentifiers.quote(target.database())
                + " TO "
                + SqlIdentifiers.quote(replicationUser),
            "GRANT CONNECT");
        changes.add("granted CONNECT on database " + target.database());
      }
      for (String schema :
          new LinkedHashSet<>(resolved.stream().map(QualifiedName::schema).toList())) {
        if (!bool(c, "SELECT has_schema_privilege(?, ?, 'USAGE')", replicationUser, schema)) {
          exec(
              c,
              "GRANT USAGE ON SCHEMA "
                  + SqlIdentifiers.quote(schema)
                  + " TO "
                  + SqlIdentifiers.quote(replicationUser),
              "GRANT USAGE");
          changes.add("granted USAGE on schema " + display(schema));
        }
      }
      for (QualifiedName t : resolved) {
        if (!bool(c, "SELECT has_table_privilege(?, ?, 'SELECT')", replicationUser, t.quoted())) {
          exec(
              c,
              "GRANT SELECT ON TABLE "
                  + t.quoted()
                  + " TO "
                  + SqlIdentifiers.quote(replicationUser),
              "GRANT SELECT");
          changes.add("granted SELECT on " + display(t));
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw sqlFailure("preparing " + target.dbInstanceId() + "/" + target.database(), e);
    }
    if (!changes.isEmpty()) {
      log.info("upstream {}/{}: {}", target.dbInstanceId(), target.database(), changes);
    }
    return new UpstreamObjects(
        publication,
        replicationUser,
        resolved.stream().map(UpstreamActivitiesImpl::display).toList(),
        changes,
        note,
        resolved);
  }

  /**
   * Makes the DDL of this transaction give up instead of queueing (lock_timeout), bounds each
   * statement, and makes sure no other attempt for the same database runs its DDL at the same time
   * (an advisory lock keyed by the database, released at commit or rollback).
   */
  private void guardDdl(Connection c, UpstreamTarget target) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
      st.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT.toMillis() + "ms'");
    }
    if (!bool(
        c,
        "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))",
        "onramp upstream objects " + target.database())) {
      throw lockBusy(
          "another attempt is already preparing database "
              + target.database()
              + " on "
              + target.dbInstanceId()
              + "; waiting for it to finish");
    }
  }

  private static ApplicationFailure lockBusy(String message) {
    return ApplicationFailure.newFailure(message, OnboardingFailures.UPSTREAM_LOCK_BUSY);
  }

  /**
   * The publication as asked. For all tables, {@code FOR ALL TABLES} first (the seed's form, which
   * also covers tables created later; RDS lets rds_superuser members create it); where the server
   * refuses (42501, e.g. stock PostgreSQL outside RDS) an explicit list of today's tables, and a
   * note saying so. Returns that note, or null.
   */
  private String ensurePublication(
      Connection c,
      String publication,
      TableSelection.Mode mode,
      List<QualifiedName> tables,
      List<String> changes)
      throws SQLException {
    String pub = SqlIdentifiers.quote(publication);
    String note = null;
    if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
      if (mode == TableSelection.Mode.ALL_TABLES) {
        Savepoint beforeAllTables = c.setSavepoint();
        try (Statement st = c.createStatement()) {
          st.execute("CREATE PUBLICATION " + pub + " FOR ALL TABLES");
          // In the same transaction as the CREATE: it is never there unmarked.
          st.execute("COMMENT ON PUBLICATION " + pub + " IS " + MARK);
          changes.add("created publication " + publication + " FOR ALL TABLES");
          return null;
        } catch (SQLException e) {
          if (!"42501".equals(e.getSQLState())) {
            throw sqlFailure("CREATE PUBLICATION " + publication + " FOR ALL TABLES", e);
          }
          c.rollback(beforeAllTables);
          note =
              "the server refused CREATE PUBLICATION "
                  + publication
                  + " FOR ALL TABLES ("
                  + e.getMessage()
                  + "); published the "
                  + tables.size()
                  + " table(s) that exist now instead, so tables created later are not included";
        }
      }
      if (tables.isEmpty()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TABLE_NOT_FOUND,
            "no tables to publish; create the tables first or name them explicitly");
      }
      exec(
          c,
          "CREATE PUBLICATION "
              + pub
              + " FOR TABLE "
              + String.join(", ", tables.stream().map(QualifiedName::quoted).toList()),
          "CREATE PUBLICATION " + publication,
          "the tables of publication " + publication);
      // In the same transaction as the CREATE: it is never there unmarked.
      exec(c, "COMMENT ON PUBLICATION " + pub + " IS " + MARK, "COMMENT ON PUBLICATION");
      changes.add("created publication " + publication);
      return note;
    }
    if (bool(c, "SELECT puballtables FROM pg_publication WHERE pubname = ?", publication)) {
      return null;
    }
    if (mode == TableSelection.Mode.ALL_TABLES) {
      note =
          "publication "
              + publication
              + " lists its tables (it is not FOR ALL TABLES), so tables created later are not"
              + " included";
    }
    List<QualifiedName> missing = unpublished(c, publication, tables);
    if (!missing.isEmpty() && !publicationIsOnramps(c, publication)) {
      throw foreignPublication(publication, missing);
    }
    for (QualifiedName t : missing) {
      exec(
          c,
          "ALTER PUBLICATION " + pub + " ADD TABLE " + t.quoted(),
          "ALTER PUBLICATION",
          display(t));
      changes.add("added " + display(t) + " to publication " + publication);
    }
    return note;
  }

  /** The tables a (not FOR ALL TABLES) publication does not include yet. */
  private static List<QualifiedName> unpublished(
      Connection c, String publication, List<QualifiedName> tables) throws SQLException {
    Set<String> published = new LinkedHashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          published.add(new QualifiedName(rs.getString(1), rs.getString(2)).quoted());
        }
      }
    }
    return tables.stream().filter(t -> !published.contains(t.quoted())).toList();
  }

  /**
   * Creates the replication user, or sets its password when it no longer matches the secret
   * (checked by logging in with it, so an unchanged password is left alone).
   */
  private void ensureRole(
      Connection c, UpstreamTarget target, String user, String password, List<String> changes)
      throws SQLException {
    boolean exists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user);
    if (!exists) {
      exec(c, "CREATE ROLE " + SqlIdentifiers.quote(user) + " LOGIN", "CREATE ROLE " + user);
      // In the same transaction as the CREATE: it is never there unmarked.
      exec(
          c,
          "COMMENT ON ROLE " + SqlIdentifiers.quote(user) + " IS " + MARK,
          "COMMENT ON ROLE " + user);
      setPassword(c, user, password);
      changes.add("created user " + user);
      return;
    }
    // Checked again here (preflight did it first): nothing below may touch a role onramp did not
    // create, an admin, or the master user.
    refuseUnsafeRole(c, target, user);
    if (!bool(c, "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", user)) {
      exec(c, "ALTER ROLE " + SqlIdentifiers.quote(user) + " LOGIN", "ALTER ROLE " + user);
      changes.add("allowed " + user + " to log in");
    }
    if (!passwordWorks(target, user, password)) {
      setPassword(c, user, password);
      changes.add("updated the password of " + user);
    }
  }

  private static void setPassword(Connection c, String user, String password) throws SQLException {
    // pgjdbc computes the SCRAM verifier locally: the server only ever sees the hash.
    c.unwrap(PGConnection.class).alterUserPassword(user, password.toCharArray(), "scram-sha-256");
  }

  private boolean passwordWorks(UpstreamTarget target, String user, String password) {
    try (Connection ignored = connect(target, user, password, "the replication user")) {
      return true;
    } catch (SQLException closing) {
      return true;
    } catch (ApplicationFailure f) {
      // Logged in but not allowed into the database yet: the password is right.
      return OnboardingFailures.PERMISSION_DENIED.equals(f.getType());
    }
  }

  // ---- ownership ----

  /** The comment that marks a role or publication as onramp's, as an SQL literal. */
  private static final String MARK = "'" + Ownership.COMMENT.replace("'", "''") + "'";

  @Override
  public void checkUpstreamOwnership(
      UpstreamTarget target, TableSelection tables, String publication, String replicationUser) {
    try (Connection c = connect(target)) {
      refuseUnsafeRole(c, target, replicationUser);
      if (exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)
          && !bool(c, "SELECT puballtables FROM pg_publication WHERE pubname = ?", publication)
          && !publicationIsOnramps(c, publication)) {
        List<QualifiedName> missing = unpublished(c, publication, resolve(c, target, tables));
        if (!missing.isEmpty()) {
          throw foreignPublication(publication, missing);
        }
      }
    } catch (SQLException e) {
      throw sqlFailure("checking who owns the objects on " + target.dbInstanceId(), e);
    }
  }

  /**
   * The replication user gets a password onramp generates: it must never be the master user (or
   * whoever onramp logs in as), an administrator, or a role someone else created.
   */
  private void refuseUnsafeRole(Connection c, UpstreamTarget target, String user)
      throws SQLException {
    String admin = single(c, "SELECT current_user");
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
    if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
      return;
    }
    if (bool(
        c,
        "SELECT r.rolsuper OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_superuser')"
            + " AND pg_has_role(r.oid, 'rds_superuser', 'MEMBER')) FROM pg_roles r WHERE"
            + " r.rolname = ?",
        user)) {
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
    String comment =
        single(
            c, "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?", user);
    if (!Ownership.isOnrampComment(comment)) {
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

  private static boolean publicationIsOnramps(Connection c, String publication)
      throws SQLException {
    return Ownership.isOnrampComment(
        single(
            c,
            "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?",
            publication));
  }

  private static ApplicationFailure foreignPublication(
      String publication, List<QualifiedName> missing) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.FOREIGN_OBJECT,
        "publication "
            + display(publication)
            + " already exists, was not created by onramp (it has no '"
            + Ownership.COMMENT
            + "' comment) and does not include "
            + String.join(", ", missing.stream().map(UpstreamActivitiesImpl::display).toList())
            + "; onramp does not alter a publication it did not create. Choose another"
            + " publication name, have its owner add the tables, or, if onramp may manage it, run"
            + " COMMENT ON PUBLICATION "
            + SqlIdentifiers.quote(publication)
            + " IS "
            + MARK
            + " and start again");
  }

  /**
   * On RDS, membership in rds_replication is what grants replication; on self-managed PostgreSQL it
   * is the REPLICATION attribute.
   */
  private void ensureReplication(Connection c, String user, List<String> changes)
      throws SQLException {
    if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication'")) {
      if (!bool(c, "SELECT pg_has_role(?, 'rds_replication', 'MEMBER')", user)) {
        exec(c, "GRANT rds_replication TO " + SqlIdentifiers.quote(user), "GRANT rds_replication");
        changes.add("granted rds_replication to " + user);
      }
    } else if (!bool(c, "SELECT rolreplication FROM pg_roles WHERE rolname = ?", user)) {
      exec(
          c, "ALTER ROLE " + SqlIdentifiers.quote(user) + " REPLICATION", "ALTER ROLE REPLICATION");
      changes.add("gave " + user + " the REPLICATION attribute");
    }
  }

  /**
   * On RDS a member of rds_replication shows rolreplication = false in pg_roles: membership is the
   * privilege there. Elsewhere the REPLICATION attribute (or superuser) is.
   */
  private static boolean mayReplicate(Connection c, String user) throws SQLException {
    if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication'")) {
      return bool(c, "SELECT pg_has_role(?, 'rds_replication', 'MEMBER')", user);
    }
    return bool(c, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = ?", user);
  }

  @Override
  public List<String> verify(
      UpstreamTarget target, TableSelection tables, String publication, String replicationUser) {
    List<String> findings = new ArrayList<>();
    LogicalReplicationStatus lr = checkLogicalReplication(target);
    if (!lr.enabled()) {
      findings.add(
          "logical replication is off (rds.logical_replication="
              + lr.rdsLogicalReplication()
              + ", wal_level="
              + lr.walLevel()
              + ")");
    }
    try (Connection c = connect(target)) {
      List<QualifiedName> resolved;
      try {
        resolved = resolve(c, target, tables);
      } catch (ApplicationFailure f) {
        findings.add(f.getOriginalMessage());
        resolved = List.of();
      }
      if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
        findings.add("publication " + publication + " does not exist");
      } else if (!bool(
          c, "SELECT puballtables FROM pg_publication WHERE pubname = ?", publication)) {
        for (QualifiedName t : resolved) {
          if (!exists(
              c,
              "SELECT 1 FROM pg_publication_tables WHERE pubname = ? AND schemaname = ? AND"
                  + " tablename = ?",
              publication,
              t.schema(),
              t.name())) {
            findings.add("publication " + publication + " does not include " + display(t));
          }
        }
      }
      for (QualifiedName t : resolved) {
        if (!"f".equals(replicaIdentity(c, t))) {
          findings.add("table " + display(t) + " no longer has REPLICA IDENTITY FULL");
        }
      }
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", replicationUser)) {
        findings.add("replication user " + replicationUser + " does not exist");
      } else {
        if (!mayReplicate(c, replicationUser)) {
          findings.add(
              "user " + replicationUser + " lacks the replication privilege (rds_replication)");
        }
        if (!bool(
            c,
            "SELECT has_database_privilege(?, current_database(), 'CONNECT')",
            replicationUser)) {
          findings.add(
              "user " + replicationUser + " lacks CONNECT on database " + target.database());
        }
        for (QualifiedName t : resolved) {
          if (!bool(c, "SELECT has_schema_privilege(?, ?, 'USAGE')", replicationUser, t.schema())) {
            findings.add(
                "user " + replicationUser + " lacks USAGE on schema " + display(t.schema()));
          }
          if (!bool(c, "SELECT has_table_privilege(?, ?, 'SELECT')", replicationUser, t.quoted())) {
            findings.add("user " + replicationUser + " lacks SELECT on " + display(t));
          }
        }
      }
      slotFindings(c, target, findings);
    } catch (SQLException e) {
      throw sqlFailure("verifying " + target.dbInstanceId(), e);
    }
    return findings;
  }

  private static void slotFindings(Connection c, UpstreamTarget target, List<String> findings)
      throws SQLException {
    boolean any = false;
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::int8,"
                    + " wal_status FROM pg_replication_slots WHERE slot_name LIKE 'materialize%'"
                    + " AND NOT temporary AND database = current_database()")) {
      while (rs.next()) {
        any = true;
        String slot = rs.getString(1);
        if (!rs.getBoolean(2)) {
          findings.add("replication slot " + slot + " is not active (is the source running?)");
        }
        long retained = rs.getLong(3);
        if (retained > WAL_RETENTION_WARNING_BYTES) {
          findings.add(
              "replication slot " + slot + " retains " + (retained / (1024 * 1024)) + " MB of WAL");
        }
        if ("lost".equals(rs.getString(4))) {
          findings.add("replication slot " + slot + " has been invalidated; recreate the source");
        }
      }
    }
    if (!any) {
      findings.add("no Materialize replication slot in database " + target.database());
    }
  }

  // ---- tables ----

  private List<QualifiedName> resolve(Connection c, UpstreamTarget target, TableSelection sel)
      throws SQLException {
    List<QualifiedName> out = new ArrayList<>();
    switch (sel.mode()) {
      case TABLES -> {
        for (QualifiedName t : sel.tableNames()) {
          if (!exists(
              c,
              "SELECT 1 FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE"
                  + " n.nspname = ? AND cl.relname = ? AND cl.relkind IN ('r', 'p')",
              t.schema(),
              t.name())) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.TABLE_NOT_FOUND,
                "table "
                    + display(t)
                    + " does not exist in database "
                    + target.database()
                    + " on "
                    + target.dbInstanceId()
                    + "; check the name (and its case)");
          }
          out.add(t);
        }
      }
      case SCHEMAS -> {
        for (String schema : sel.schemaNames()) {
          if (!exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.TABLE_NOT_FOUND,
                "schema " + display(schema) + " does not exist in database " + target.database());
          }
          out.addAll(tablesIn(c, "n.nspname = ?", schema));
        }
      }
      case ALL_TABLES -> out.addAll(tablesIn(c, "n.nspname NOT IN " + SYSTEM_SCHEMAS, null));
    }
    return out;
  }

  private static List<QualifiedName> tablesIn(Connection c, String where, String arg)
      throws SQLException {
    List<QualifiedName> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n.nspname, cl.relname FROM pg_class cl JOIN pg_namespace n ON n.oid ="
                + " cl.relnamespace WHERE cl.relkind IN ('r', 'p') AND NOT cl.relispartition AND "
                + where
                + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2")) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new QualifiedName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  private static String replicaIdentity(Connection c, QualifiedName t) throws SQLException {
    return single(
        c, "SELECT relreplident::text FROM pg_class WHERE oid = to_regclass(?)", t.quoted());
  }

  private static boolean canAlter(Connection c, QualifiedName t) throws SQLException {
    return bool(
        c,
        "SELECT pg_has_role(current_user, cl.relowner, 'USAGE') FROM pg_class cl WHERE cl.oid ="
            + " to_regclass(?)",
        t.quoted());
  }

  private static boolean isAdmin(Connection c) throws SQLException {
    return bool(
        c,
        "SELECT rolsuper OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_superuser') AND"
            + " pg_has_role(current_user, 'rds_superuser', 'MEMBER')) FROM pg_roles WHERE rolname"
            + " = current_user");
  }

  /** A name as a person would write it: plain when it is plain, quoted otherwise. */
  static String display(QualifiedName q) {
    return display(q.schema()) + "." + display(q.name());
  }

  static String display(String ident) {
    return PLAIN.matcher(ident).matches() ? ident : SqlIdentifiers.quote(ident);
  }

  // ---- JDBC helpers ----

  private static void exec(Connection c, String sql, String what) throws SQLException {
    exec(c, sql, what, null);
  }

  /**
   * Runs DDL; {@code locked} names what it locks, for the message when the lock is not granted
   * within lock_timeout (55P03) or the statement runs out of statement_timeout (57014).
   */
  private static void exec(Connection c, String sql, String what, String locked)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.equals("55P03") || state.equals("57014")) {
        throw lockBusy(
            "waiting for a lock on "
                + (locked == null ? "the objects of " + what : locked)
                + " ("
                + what
                + ": "
                + e.getMessage()
                + "); a long-running transaction holds it, and onramp retries rather than block"
                + " writers behind it");
      }
      throw sqlFailure(what, e);
    }
  }

  private static String single(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static boolean exists(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean bool(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  @Override
  public UpstreamObjects convergeUpstream(UpstreamRequest request) {
    throw new UnsupportedOperationException("issue 13, slice upstream");
  }

  @Override
  public List<PlannedChange> planUpstream(UpstreamRequest request) {
    throw new UnsupportedOperationException("issue 13, slice upstream");
  }

  @Override
  public List<Finding> upstreamDrift(UpstreamRequest request) {
    throw new UnsupportedOperationException("issue 13, slice upstream");
  }

  @Override
  public List<Removal> removeUpstream(UpstreamRemoval removal) {
    throw new UnsupportedOperationException("issue 13, slice upstream");
  }
}
