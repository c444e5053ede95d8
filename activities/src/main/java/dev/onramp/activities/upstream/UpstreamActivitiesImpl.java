package dev.onramp.activities.upstream;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.ledger.Severity;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.tables.TableChangeAction;
import dev.onramp.workflows.tables.TableChangeOutcome;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UpstreamActivities} over JDBC as the instance's admin user (a member of {@code
 * rds_superuser} on RDS): a facade over the upstream resources, walked in {@link #RESOURCES} order
 * to converge, plan and check drift, and backwards to remove. Every step looks first and changes
 * only what is missing, in one transaction, so a re-run after a crash finishes the job and a second
 * run changes nothing.
 */
public final class UpstreamActivitiesImpl implements UpstreamActivities {

  private static final Logger log = LoggerFactory.getLogger(UpstreamActivitiesImpl.class);

  /** What onramp manages upstream, in the order it converges them. A new one is one more line. */
  static final List<UpstreamResource> RESOURCES =
      List.of(
          new ReplicaIdentityResource(),
          new PublicationResource(),
          new ReplicationRoleResource(),
          new GrantsResource());

  /** More WAL than this held back by a source's slot is a finding. */
  static final long WAL_RETENTION_WARNING_BYTES = 1024L * 1024 * 1024;

  /**
   * How long one DDL statement may wait for its table lock before the attempt gives up and is
   * retried (see {@link UpstreamDdl#guard}).
   */
  static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  private final UpstreamConnector connector;
  private final Duration lockTimeout;
  private final ReplicationSlots slots;

  /** Upstream connections verify the server against the RDS global bundle (the default path). */
  public UpstreamActivitiesImpl(CredentialResolver resolver) {
    this(resolver, PgTls.upstreamDefault(), DEFAULT_LOCK_TIMEOUT);
  }

  /** Upstream connections check the server as {@code tls} says (the worker's configuration). */
  public UpstreamActivitiesImpl(CredentialResolver resolver, PgTls tls) {
    this(resolver, tls, DEFAULT_LOCK_TIMEOUT);
  }

  public UpstreamActivitiesImpl(CredentialResolver resolver, PgTls tls, Duration lockTimeout) {
    this(resolver, tls, lockTimeout, WAL_RETENTION_WARNING_BYTES);
  }

  UpstreamActivitiesImpl(
      CredentialResolver resolver, PgTls tls, Duration lockTimeout, long walRetentionBytes) {
    this.connector = new UpstreamConnector(resolver, tls);
    this.lockTimeout = lockTimeout;
    this.slots = new ReplicationSlots(walRetentionBytes);
  }

  // ---- checks before anything changes ----

  @Override
  public LogicalReplicationStatus checkLogicalReplication(UpstreamTarget target) {
    try (Connection c = connector.admin(target)) {
      return UpstreamPreflight.logicalReplication(c);
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "checking logical replication on " + target.dbInstanceId());
    }
  }

  @Override
  public PreflightReport preflight(UpstreamTarget target, TableSelection tables) {
    try (Connection c = connector.admin(target)) {
      return UpstreamPreflight.check(c, target, tables);
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "preflight on " + target.dbInstanceId());
    }
  }

  @Override
  public void checkUpstreamOwnership(
      UpstreamTarget target, TableSelection tables, String publication, String replicationUser) {
    try (Connection c = connector.admin(target)) {
      ReplicationRoleResource.refuseUnsafe(c, target, replicationUser);
      if (Sql.exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
        PublicationResource.refuseForeign(
            c, publication, UpstreamTables.resolve(c, target, tables));
      }
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "checking who owns the objects on " + target.dbInstanceId());
    }
  }

  // ---- converge ----

  @Override
  public UpstreamObjects ensureUpstreamObjects(
      UpstreamTarget target,
      TableSelection tables,
      String publication,
      String replicationUser,
      SecretRef replicationPassword) {
    UpstreamObjects o =
        convergeUpstream(
            new UpstreamRequest(target, tables, publication, replicationUser, replicationPassword));
    // As before the ledger existed: histories recorded this result without one.
    return new UpstreamObjects(
        o.publication(), o.replicationUser(), o.tables(), o.changes(), o.note(), o.tableNames());
  }

  @Override
  public UpstreamObjects convergeUpstream(UpstreamRequest request) {
    UpstreamTarget target = request.target();
    String password =
        connector
            .resolver()
            .resolve(target.region(), request.replicationPassword(), request.replicationUser())
            .password();
    try (Connection c = connector.admin(target)) {
      UpstreamSession s = session(c, request, password);
      // One transaction: a failure (a lock not granted in time included) leaves nothing half done.
      c.setAutoCommit(false);
      UpstreamDdl.guard(c, target, lockTimeout);
      for (UpstreamResource resource : RESOURCES) {
        s.ledger.addAll(resource.converge(s));
      }
      c.commit();
      if (!s.changes.isEmpty()) {
        log.info("upstream {}/{}: {}", target.dbInstanceId(), target.database(), s.changes);
      }
      return new UpstreamObjects(
          request.publication(),
          request.replicationUser(),
          s.tables.stream().map(UpstreamTables::display).toList(),
          List.copyOf(s.changes),
          s.note,
          s.tables,
          List.copyOf(s.ledger));
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "preparing " + target.dbInstanceId() + "/" + target.database());
    }
  }

  private UpstreamSession session(Connection c, UpstreamRequest request, String password)
      throws SQLException {
    return new UpstreamSession(
        c,
        request.target(),
        request.tables().mode(),
        UpstreamTables.resolve(c, request.target(), request.tables()),
        request.publication(),
        request.replicationUser(),
        password,
        connector);
  }

  // ---- plan and drift: read only ----

  @Override
  public SnapshotEstimate estimateSnapshot(UpstreamRequest request) {
    try (Connection c = connector.admin(request.target())) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      SnapshotEstimate estimate = SnapshotEstimator.estimate(c, request.target(), request.tables());
      c.rollback();
      return estimate;
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "estimating the snapshot of " + request.target().dbInstanceId());
    }
  }

  @Override
  public List<PlannedChange> planUpstream(UpstreamRequest request) {
    try (Connection c = connector.admin(request.target())) {
      // A read-only transaction: the server itself refuses any write a plan would attempt.
      c.setAutoCommit(false);
      c.setReadOnly(true);
      UpstreamSession s = session(c, request, null);
      List<PlannedChange> out = new ArrayList<>();
      for (UpstreamResource resource : RESOURCES) {
        out.addAll(resource.plan(s));
      }
      c.rollback();
      return out;
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "planning " + request.target().dbInstanceId());
    }
  }

  @Override
  public List<Finding> upstreamDrift(UpstreamRequest request) {
    UpstreamTarget target = request.target();
    List<Finding> out = new ArrayList<>();
    try (Connection c = connector.admin(target)) {
      out.addAll(UpstreamPreflight.logicalReplicationDrift(c, target));
      List<QualifiedName> tables;
      try {
        tables = UpstreamTables.resolve(c, target, request.tables());
      } catch (ApplicationFailure f) {
        out.add(
            new Finding(
                Severity.CRITICAL,
                ResourceKind.REPLICA_IDENTITY,
                target.database(),
                f.getOriginalMessage(),
                "restore it, or onboard again with the tables that exist"));
        tables = List.of();
      }
      UpstreamSession s =
          new UpstreamSession(
              c,
              target,
              request.tables().mode(),
              tables,
              request.publication(),
              request.replicationUser(),
              null,
              connector);
      for (UpstreamResource resource : RESOURCES) {
        out.addAll(resource.drift(s));
      }
      boolean roleDrifted = out.stream().anyMatch(f -> f.kind() == ResourceKind.REPLICATION_ROLE);
      if (request.replicationPassword() != null && !roleDrifted) {
        out.addAll(passwordDrift(request));
      }
      out.addAll(slots.drift(c, target.database(), request.allocatedStorageGib()));
      return out;
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "verifying " + target.dbInstanceId());
    }
  }

  /**
   * The password in the replication secret still opens the upstream as the replication user: the
   * Materialize secret was made from it, so a password changed on either side alone stalls the
   * source at its next reconnect.
   */
  private List<Finding> passwordDrift(UpstreamRequest request) {
    UpstreamTarget target = request.target();
    String user = request.replicationUser();
    String password;
    try {
      password =
          connector
              .resolver()
              .resolve(target.region(), request.replicationPassword(), user)
              .password();
    } catch (ApplicationFailure f) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              ResourceKind.REPLICATION_SECRET,
              request.replicationPassword().id(),
              "the replication password cannot be read: " + f.getOriginalMessage(),
              "restore the secret or the worker's access to it (secretsmanager:GetSecretValue),"
                  + " or run onramp again for this database: it makes a new password"));
    }
    if (connector.passwordWorks(target, user, password)) {
      return List.of();
    }
    String role = dev.onramp.workflows.SqlIdentifiers.quote(user);
    return List.of(
        new Finding(
            Severity.CRITICAL,
            ResourceKind.REPLICATION_ROLE,
            user,
            "the password in secret "
                + request.replicationPassword().id()
                + " no longer logs in as "
                + user
                + " (changed on the database or in the secret alone): the source fails at its"
                + " next reconnect",
            "run onramp again for this database: it sets the role's password from the secret and"
                + " updates the Materialize secret (ALTER SECRET); or set it by hand with \\password "
                + role
                + " in psql and the same value in ALTER SECRET"));
  }

  @Override
  public List<String> verify(
      UpstreamTarget target, TableSelection tables, String publication, String replicationUser) {
    return upstreamDrift(new UpstreamRequest(target, tables, publication, replicationUser, null))
        .stream()
        .map(Finding::problem)
        .toList();
  }

  // ---- remove ----

  private static Removal removeOne(UpstreamResource resource, UpstreamSession s, LedgerEntry e)
      throws SQLException {
    try {
      return resource.remove(s, e);
    } catch (IllegalArgumentException unreadable) {
      // A ledger entry no resource wrote (edited by hand?): nothing is touched, and retrying
      // would not help.
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "ledger entry '"
              + e.describe()
              + "' cannot be read ("
              + unreadable.getMessage()
              + "); nothing upstream was removed");
    }
  }

  @Override
  public List<Removal> removeUpstream(UpstreamRemoval removal) {
    UpstreamTarget target = removal.target();
    List<LedgerEntry> backwards = new ArrayList<>(removal.entries());
    Collections.reverse(backwards);
    try (Connection c = connector.admin(target)) {
      List<Removal> out = new ArrayList<>();
      c.setAutoCommit(false);
      UpstreamDdl.guard(c, target, lockTimeout);
      UpstreamSession s = UpstreamSession.forRemoval(c, target);
      for (LedgerEntry e : backwards) {
        for (UpstreamResource resource : RESOURCES) {
          if (resource.kind() == e.kind()) {
            out.add(removeOne(resource, s, e));
          }
        }
      }
      c.commit();
      // Then the slots, outside the transaction (pg_drop_replication_slot is not transactional);
      // they come first in what offboarding reports, as the sources come last in the ledger.
      c.setAutoCommit(true);
      List<Removal> slotRemovals = new ArrayList<>();
      for (LedgerEntry e : backwards) {
        if (e.kind() == ResourceKind.MZ_SOURCE) {
          Removal r = slots.remove(c, e);
          if (r != null) {
            slotRemovals.add(r);
          }
        }
      }
      out.addAll(0, slotRemovals);
      log.info("upstream {}/{} removed: {}", target.dbInstanceId(), target.database(), out);
      return out;
    } catch (SQLException e) {
      throw UpstreamDdl.failure(e, "removing onramp's objects from " + target.dbInstanceId());
    }
  }

  // ---- table changes ----

  @Override
  public TableChangeOutcome changeTables(UpstreamTableChange change) {
    UpstreamTarget target = change.target();
    try (Connection c = connector.admin(target)) {
      // One transaction, guarded as onboarding's: a refused table leaves nothing changed.
      c.setAutoCommit(false);
      UpstreamDdl.guard(c, target, lockTimeout);
      TableChangeOutcome out =
          change.action() == TableChangeAction.ADD
              ? UpstreamTableChanges.add(c, change, connector)
              : UpstreamTableChanges.drop(c, change);
      c.commit();
      log.info(
          "upstream {}/{} tables {}: {}",
          target.dbInstanceId(),
          target.database(),
          change.action(),
          out.changes());
      return out;
    } catch (SQLException e) {
      throw UpstreamDdl.failure(
          e,
          (change.action() == TableChangeAction.ADD ? "adding" : "dropping")
              + " tables on "
              + target.dbInstanceId()
              + "/"
              + target.database());
    }
  }
}
