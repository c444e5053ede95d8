package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SqlIdentifiers;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Before anything changes: every name the plan will create is free or taken by an object with the
 * same definition (a re-run), no two planned relations share a name, and the user may create what
 * is missing. Every conflict is collected, so that one refusal names them all.
 */
final class PlanCheck {
  private final MaterializeClient client;
  private final MzNamespace namespace;

  PlanCheck(MaterializeClient client) {
    this.client = client;
    this.namespace = new MzNamespace(client.database());
  }

  /** What will be reused ("cluster x", ...); a non-retryable MaterializeConflict otherwise. */
  List<String> check(MaterializePlan plan) {
    try (Connection c = client.connect()) {
      return check(c, plan);
    } catch (SQLException e) {
      throw MaterializeClient.failure("checking names and privileges in Materialize", e);
    }
  }

  List<String> check(Connection c, MaterializePlan plan) throws SQLException {
    List<String> conflicts = new ArrayList<>();
    List<String> reused = new ArrayList<>();
    ConnectionSpec conn = plan.connection();
    SourceSpec source = plan.source();
    if (plan.cluster() != null) {
      if (Sql.exists(c, "SELECT 1 FROM mz_catalog.mz_clusters WHERE name = ?", plan.cluster())) {
        reused.add("cluster " + plan.cluster());
      } else if (!MzNamespace.hasSystemPrivilege(c, "CREATECLUSTER")) {
        conflicts.add(
            "cluster "
                + plan.cluster()
                + " does not exist and "
                + client.user()
                + " may not create it (no CREATECLUSTER privilege): GRANT CREATECLUSTER ON"
                + " SYSTEM TO "
                + SqlIdentifiers.quote(client.user())
                + ", or create the cluster first");
      }
    }
    boolean createsItems = false;

    String secret = conn.passwordSecret();
    MzNamespace.Item secretItem = namespace.item(c, secret);
    if (secretItem == null) {
      createsItems = true;
    } else if (!secretItem.kind().equals("secret")) {
      conflicts.add(MzNamespace.taken(secret, secretItem, "the secret"));
    } else {
      List<String> users =
          Sql.column(
              c,
              "SELECT cn.name FROM mz_internal.mz_object_dependencies d JOIN"
                  + " mz_catalog.mz_connections cn ON cn.id = d.object_id WHERE"
                  + " d.referenced_object_id = ? AND cn.name <> ? ORDER BY 1",
              secretItem.id(),
              conn.name());
      if (!users.isEmpty()) {
        conflicts.add(
            "secret "
                + secret
                + " already holds the password of connection "
                + String.join(", ", users)
                + "; onramp would overwrite it. Choose another secret name");
      } else {
        reused.add("secret " + secret);
      }
    }

    MzNamespace.Item connItem = namespace.item(c, conn.name());
    if (connItem == null) {
      createsItems = true;
    } else if (!connItem.kind().equals("connection")) {
      conflicts.add(MzNamespace.taken(conn.name(), connItem, "the connection"));
    } else {
      Optional<String> problem = ConnectionDefinition.problem(c, conn);
      if (problem != null && problem.isPresent()) {
        conflicts.add(problem.get());
      } else {
        reused.add("connection " + conn.name());
      }
    }

    MzNamespace.Item sourceItem = namespace.item(c, source.name());
    Set<String> ours = new LinkedHashSet<>();
    if (sourceItem == null) {
      createsItems = true;
      String progress = source.name() + "_progress";
      MzNamespace.Item progressItem = namespace.item(c, progress);
      if (progressItem != null) {
        conflicts.add(
            MzNamespace.taken(progress, progressItem, "the progress subsource of the source"));
      }
    } else if (!sourceItem.kind().equals("source")) {
      conflicts.add(MzNamespace.taken(source.name(), sourceItem, "the source"));
    } else {
      try {
        SourceDefinition.existing(c, source);
        reused.add("source " + source.name());
        ours.addAll(SourceRelations.names(c, sourceItem.id(), source.syntax()));
      } catch (ApplicationFailure different) {
        conflicts.add(different.getOriginalMessage());
      }
    }

    if (source.relations() != null) {
      Map<String, QualifiedName> planned = new LinkedHashMap<>();
      for (SourceTable r : source.relations()) {
        QualifiedName other = planned.putIfAbsent(r.relation(), r.upstream());
        if (other != null) {
          conflicts.add(
              "tables "
                  + other
                  + " and "
                  + r.upstream()
                  + " would both become "
                  + r.relation()
                  + " in Materialize; name the tables to onboard explicitly");
          continue;
        }
        if (ours.contains(r.relation())) {
          continue;
        }
        MzNamespace.Item it = namespace.item(c, r.relation());
        if (it != null) {
          conflicts.add(
              MzNamespace.taken(r.relation(), it, "the relation for table " + r.upstream()));
        } else {
          createsItems = true;
        }
      }
    }

    if (createsItems && !namespace.hasSchemaCreate(c)) {
      conflicts.add(
          client.user()
              + " may not create objects in "
              + client.database()
              + ".public (no CREATE privilege on the schema): GRANT CREATE ON SCHEMA "
              + SqlIdentifiers.quote(client.database())
              + ".public TO "
              + SqlIdentifiers.quote(client.user()));
    }
    if (!conflicts.isEmpty()) {
      throw MaterializeClient.conflict(
          "Materialize cannot take this onboarding as it stands (nothing was changed): "
              + String.join("; ", conflicts));
    }
    return reused;
  }
}
