package dev.onramp.activities.upstream;

import static dev.onramp.activities.upstream.UpstreamTables.display;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.jdbc.SqlFailures;
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
import dev.onramp.workflows.Ownership;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The publication Materialize's source reads. Created and marked with {@code COMMENT ON
 * PUBLICATION} in the same transaction; extended only when it carries onramp's mark; someone else's
 * is used as it is when it already covers the tables, and refused otherwise.
 */
final class PublicationResource implements UpstreamResource {
  /** The comment that marks an object as onramp's, as an SQL literal. */
  static final String MARK = Sql.literal(Ownership.COMMENT);

  @Override
  public ResourceKind kind() {
    return ResourceKind.PUBLICATION;
  }

  /** What exists: whether, FOR ALL TABLES or not, onramp's or not, and which tables it lacks. */
  record State(boolean exists, boolean allTables, boolean onramps, List<QualifiedName> missing) {}

  static State inspect(Connection c, String publication, List<QualifiedName> tables)
      throws SQLException {
    if (!Sql.exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
      return new State(false, false, false, tables);
    }
    boolean all =
        Sql.bool(c, "SELECT puballtables FROM pg_publication WHERE pubname = ?", publication);
    return new State(
        true,
        all,
        isOnramps(c, publication),
        all ? List.of() : unpublished(c, publication, tables));
  }

  @Override
  public List<PlannedChange> plan(UpstreamSession s) throws SQLException {
    State st = inspect(s.c, s.publication, s.tables);
    PlannedChange change;
    if (!st.exists()) {
      change =
          new PlannedChange(
              kind(),
              s.publication,
              PlanAction.CREATE,
              s.mode == TableSelection.Mode.ALL_TABLES
                  ? "FOR ALL TABLES (or the tables that exist now where the server refuses it)"
                  : "FOR TABLE " + names(s.tables));
    } else if (st.missing().isEmpty()) {
      change = new PlannedChange(kind(), s.publication, PlanAction.REUSE, "covers the tables");
    } else if (!st.onramps()) {
      throw foreign(s.publication, st.missing());
    } else {
      change =
          new PlannedChange(kind(), s.publication, PlanAction.CHANGE, "add " + names(st.missing()));
    }
    return List.of(change);
  }

  @Override
  public List<LedgerEntry> converge(UpstreamSession s) throws SQLException {
    Map<String, String> attributes = Map.of("database", s.target.database());
    State st = inspect(s.c, s.publication, s.tables);
    if (!st.exists()) {
      create(s);
      return List.of(LedgerEntry.created(kind(), s.publication).withAttributes(attributes));
    }
    if (st.allTables()) {
      return List.of(LedgerEntry.reused(kind(), s.publication).withAttributes(attributes));
    }
    if (s.mode == TableSelection.Mode.ALL_TABLES) {
      s.note =
          "publication "
              + s.publication
              + " lists its tables (it is not FOR ALL TABLES), so tables created later are not"
              + " included";
    }
    if (st.missing().isEmpty()) {
      return List.of(LedgerEntry.reused(kind(), s.publication).withAttributes(attributes));
    }
    if (!st.onramps()) {
      throw foreign(s.publication, st.missing());
    }
    String before = names(published(s.c, s.publication));
    String pub = SqlIdentifiers.quote(s.publication);
    for (QualifiedName t : st.missing()) {
      UpstreamDdl.exec(
          s.c,
          "ALTER PUBLICATION " + pub + " ADD TABLE " + t.quoted(),
          "ALTER PUBLICATION",
          display(t));
      s.changes.add("added " + display(t) + " to publication " + s.publication);
    }
    return List.of(LedgerEntry.changed(kind(), s.publication, before).withAttributes(attributes));
  }

  /**
   * For all tables, {@code FOR ALL TABLES} first (the seed's form, which also covers tables created
   * later; RDS lets rds_superuser members create it); where the server refuses (42501, e.g. stock
   * PostgreSQL outside RDS) an explicit list of today's tables, and a note saying so.
   */
  private static void create(UpstreamSession s) throws SQLException {
    String pub = SqlIdentifiers.quote(s.publication);
    if (s.mode == TableSelection.Mode.ALL_TABLES) {
      Savepoint beforeAllTables = s.c.setSavepoint();
      try {
        Sql.exec(s.c, "CREATE PUBLICATION " + pub + " FOR ALL TABLES");
        // In the same transaction as the CREATE: it is never there unmarked.
        Sql.exec(s.c, "COMMENT ON PUBLICATION " + pub + " IS " + MARK);
        s.changes.add("created publication " + s.publication + " FOR ALL TABLES");
        return;
      } catch (SQLException e) {
        if (!"42501".equals(e.getSQLState())) {
          throw SqlFailures.classify(e, "CREATE PUBLICATION " + s.publication + " FOR ALL TABLES");
        }
        s.c.rollback(beforeAllTables);
        s.note =
            "the server refused CREATE PUBLICATION "
                + s.publication
                + " FOR ALL TABLES ("
                + e.getMessage()
                + "); published the "
                + s.tables.size()
                + " table(s) that exist now instead, so tables created later are not included";
      }
    }
    if (s.tables.isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.TABLE_NOT_FOUND,
          "no tables to publish; create the tables first or name them explicitly");
    }
    UpstreamDdl.exec(
        s.c,
        "CREATE PUBLICATION "
            + pub
            + " FOR TABLE "
            + String.join(", ", s.tables.stream().map(QualifiedName::quoted).toList()),
        "CREATE PUBLICATION " + s.publication,
        "the tables of publication " + s.publication);
    // In the same transaction as the CREATE: it is never there unmarked.
    UpstreamDdl.exec(
        s.c, "COMMENT ON PUBLICATION " + pub + " IS " + MARK, "COMMENT ON PUBLICATION");
    s.changes.add("created publication " + s.publication);
  }

  @Override
  public List<Finding> drift(UpstreamSession s) throws SQLException {
    State st = inspect(s.c, s.publication, s.tables);
    String pub = SqlIdentifiers.quote(s.publication);
    if (!st.exists()) {
      return List.of(
          new Finding(
              Severity.CRITICAL,
              kind(),
              s.publication,
              "publication " + s.publication + " does not exist",
              "CREATE PUBLICATION "
                  + pub
                  + " FOR TABLE "
                  + String.join(", ", s.tables.stream().map(QualifiedName::quoted).toList())
                  + "; COMMENT ON PUBLICATION "
                  + pub
                  + " IS "
                  + MARK
                  + ";"));
    }
    List<Finding> out = new ArrayList<>();
    for (QualifiedName t : st.missing()) {
      out.add(
          new Finding(
              Severity.WARNING,
              kind(),
              s.publication,
              "publication " + s.publication + " does not include " + display(t),
              "ALTER PUBLICATION " + pub + " ADD TABLE " + t.quoted() + ";"));
    }
    return out;
  }

  @Override
  public Removal remove(UpstreamSession s, LedgerEntry entry) throws SQLException {
    String publication = entry.identifier();
    if (!Sql.exists(s.c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
      return Removal.of(entry, RemovalOutcome.ALREADY_GONE, "publication no longer exists");
    }
    if (!isOnramps(s.c, publication)) {
      return entry.outcome() == Outcome.REUSED
          ? Removal.of(entry, RemovalOutcome.KEPT_NOT_OURS, "not created by onramp; left in place")
          : Removal.of(
              entry,
              RemovalOutcome.KEPT_CHANGED,
              "it no longer carries onramp's comment (someone took it over); left in place");
    }
    UpstreamDdl.exec(
        s.c,
        "DROP PUBLICATION " + SqlIdentifiers.quote(publication),
        "DROP PUBLICATION " + publication);
    return Removal.of(entry, RemovalOutcome.REMOVED, "dropped publication " + publication);
  }

  /**
   * Read-only, for preflight: an existing publication that is not onramp's must already cover the
   * tables, since onramp would not alter it.
   */
  static void refuseForeign(Connection c, String publication, List<QualifiedName> tables)
      throws SQLException {
    State st = inspect(c, publication, tables);
    if (st.exists() && !st.onramps() && !st.missing().isEmpty()) {
      throw foreign(publication, st.missing());
    }
  }

  private static boolean isOnramps(Connection c, String publication) throws SQLException {
    return Ownership.isOnrampComment(
        Sql.single(
            c,
            "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?",
            publication));
  }

  private static List<QualifiedName> published(Connection c, String publication)
      throws SQLException {
    List<QualifiedName> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY"
                + " 1, 2")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new QualifiedName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  /** The tables a (not FOR ALL TABLES) publication does not include yet. */
  private static List<QualifiedName> unpublished(
      Connection c, String publication, List<QualifiedName> tables) throws SQLException {
    Set<String> published = new LinkedHashSet<>();
    for (QualifiedName t : published(c, publication)) {
      published.add(t.quoted());
    }
    return tables.stream().filter(t -> !published.contains(t.quoted())).toList();
  }

  private static String names(List<QualifiedName> tables) {
    return String.join(", ", tables.stream().map(UpstreamTables::display).toList());
  }

  private static ApplicationFailure foreign(String publication, List<QualifiedName> missing) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.FOREIGN_OBJECT,
        "publication "
            + display(publication)
            + " already exists, was not created by onramp (it has no '"
            + Ownership.COMMENT
            + "' comment) and does not include "
            + names(missing)
            + "; onramp does not alter a publication it did not create. Choose another"
            + " publication name, have its owner add the tables, or, if onramp may manage it, run"
            + " COMMENT ON PUBLICATION "
            + SqlIdentifiers.quote(publication)
            + " IS "
            + MARK
            + " and start again");
  }
}
