package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.MaterializeFailures;
import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.activities.secrets.CredentialResolver;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.SqlIdentifiers;
import dev.onramp.workflows.TableSelection;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MaterializeActivities} over pgwire with stock pgjdbc. It reads Materialize's catalog
 * before it changes anything: existing objects with the same definition are reused, different ones
 * are a non-retryable {@code MaterializeConflict} that names the difference. Secret values go into
 * {@code CREATE/ALTER SECRET} as literals (Materialize takes no parameters in DDL) and never into a
 * log line or a result.
 */
public final class MaterializeActivitiesImpl implements MaterializeActivities {

  private static final Logger log = LoggerFactory.getLogger(MaterializeActivitiesImpl.class);
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");

  /** Utilization above this asks for the next size up, below the lower bound the next down. */
  static final double SIZE_UP_PERCENT = 80.0;

  static final double SIZE_DOWN_PERCENT = 25.0;

  private final MaterializeSettings settings;
  private final CredentialResolver resolver;
  private final String upstreamCertificateAuthority;

  public MaterializeActivitiesImpl(MaterializeSettings settings, CredentialResolver resolver) {
    this(settings, resolver, null);
  }

  /**
   * {@code upstreamCertificateAuthority}: PEM text of the CA that issues the upstream servers'
   * certificates (for RDS the global bundle), given to Materialize as {@code SSL CERTIFICATE
   * AUTHORITY} when a connection's SSL MODE is verify_ca or verify_full; null: Materialize's system
   * CAs.
   */
  public MaterializeActivitiesImpl(
      MaterializeSettings settings,
      CredentialResolver resolver,
      String upstreamCertificateAuthority) {
    this.settings = settings;
    this.resolver = resolver;
    this.upstreamCertificateAuthority = upstreamCertificateAuthority;
  }

  // ---- connection and failures ----

  private Connection connect() {
    try {
      return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
    } catch (SQLException e) {
      if (PgTls.isVerificationFailure(e)) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TLS_VERIFICATION,
            settings
                    .tls()
                    .verificationAdvice(settings.host() + ":" + settings.port(), "materialize")
                + ": "
                + e.getMessage());
      }
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("28")) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.BAD_CREDENTIALS,
            "Materialize at "
                + settings.host()
                + ":"
                + settings.port()
                + " refused user "
                + settings.user()
                + ": "
                + e.getMessage()
                + "; check the worker's Materialize user and app password");
      }
      throw ApplicationFailure.newFailureWithCause(
          "cannot reach Materialize at "
              + settings.host()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage(),
          OnboardingFailures.NOT_REACHABLE,
          e);
    }
  }

  /** Materialize's message, detail and hint, as one line a person can act on. */
  static String describe(SQLException e) {
    return MaterializeFailures.describe(e);
  }

  private static ApplicationFailure failure(String what, SQLException e) {
    String text = describe(e);
    if (text.contains("certificate verify failed")) {
      // Materialize could not verify the upstream's certificate: retrying cannot change that.
      return OnboardingFailures.nonRetryable(
          OnboardingFailures.TLS_VERIFICATION,
          what
              + ": "
              + text
              + "; the upstream's certificate must chain to the worker's upstream.sslRootCert"
              + " (given to Materialize as SSL CERTIFICATE AUTHORITY), or use SSL MODE require",
          e);
    }
    return MaterializeFailures.classify(e, what);
  }

  private static ApplicationFailure conflict(String message) {
    return OnboardingFailures.nonRetryable(OnboardingFailures.MATERIALIZE_CONFLICT, message);
  }

  // ---- describe ----

  @Override
  public MaterializeInfo describe() {
    try (Connection c = connect()) {
      String version = single(c, "SELECT mz_version()");
      List<String> cidrs;
      try {
        cidrs = column(c, "SELECT cidr FROM mz_catalog.mz_egress_ips ORDER BY 1");
      } catch (SQLException olderCatalog) {
        cidrs = column(c, "SELECT egress_ip || '/32' FROM mz_catalog.mz_egress_ips ORDER BY 1");
      }
      return new MaterializeInfo(version, syntaxOf(version), cidrs);
    } catch (SQLException e) {
      throw failure("reading Materialize's version and egress IPs", e);
    }
  }

  /** Materialize v26 introduced CREATE TABLE ... FROM SOURCE as the way to add tables. */
  static SourceSyntax syntaxOf(String version) {
    Matcher m = VERSION.matcher(version == null ? "" : version);
    if (!m.find()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.MATERIALIZE,
          "cannot tell Materialize's version from '" + version + "'");
    }
    return Integer.parseInt(m.group(1)) >= 26
        ? SourceSyntax.TABLES_FROM_SOURCE
        : SourceSyntax.SUBSOURCES;
  }

  // ---- preflight ----

  @Override
  public List<String> checkPlan(MaterializePlan plan) {
    List<String> conflicts = new ArrayList<>();
    List<String> reused = new ArrayList<>();
    ConnectionSpec conn = plan.connection();
    SourceSpec source = plan.source();
    try (Connection c = connect()) {
      if (plan.cluster() != null) {
        if (exists(c, "SELECT 1 FROM mz_catalog.mz_clusters WHERE name = ?", plan.cluster())) {
          reused.add("cluster " + plan.cluster());
        } else if (!hasSystemPrivilege(c, "CREATECLUSTER")) {
          conflicts.add(
              "cluster "
                  + plan.cluster()
                  + " does not exist and "
                  + settings.user()
                  + " may not create it (no CREATECLUSTER privilege): GRANT CREATECLUSTER ON"
                  + " SYSTEM TO "
                  + SqlIdentifiers.quote(settings.user())
                  + ", or create the cluster first");
        }
      }
      boolean createsItems = false;

      String secret = conn.passwordSecret();
      Item secretItem = item(c, secret);
      if (secretItem == null) {
        createsItems = true;
      } else if (!secretItem.kind().equals("secret")) {
        conflicts.add(taken(secret, secretItem, "the secret"));
      } else {
        List<String> users =
            column(
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

      Item connItem = item(c, conn.name());
      if (connItem == null) {
        createsItems = true;
      } else if (!connItem.kind().equals("connection")) {
        conflicts.add(taken(conn.name(), connItem, "the connection"));
      } else {
        Optional<String> problem = existingConnectionProblem(c, conn);
        if (problem != null && problem.isPresent()) {
          conflicts.add(problem.get());
        } else {
          reused.add("connection " + conn.name());
        }
      }

      Item sourceItem = item(c, source.name());
      Set<String> ours = new LinkedHashSet<>();
      if (sourceItem == null) {
        createsItems = true;
        String progress = source.name() + "_progress";
        Item progressItem = item(c, progress);
        if (progressItem != null) {
          conflicts.add(taken(progress, progressItem, "the progress subsource of the source"));
        }
      } else if (!sourceItem.kind().equals("source")) {
        conflicts.add(taken(source.name(), sourceItem, "the source"));
      } else {
        try {
          existingSource(c, source);
          reused.add("source " + source.name());
          ours.addAll(relations(c, sourceItem.id(), source.syntax()));
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
          Item it = item(c, r.relation());
          if (it != null) {
            conflicts.add(taken(r.relation(), it, "the relation for table " + r.upstream()));
          } else {
            createsItems = true;
          }
        }
      }

      if (createsItems && !hasSchemaCreate(c)) {
        conflicts.add(
            settings.user()
                + " may not create objects in "
                + settings.database()
                + ".public (no CREATE privilege on the schema): GRANT CREATE ON SCHEMA "
                + SqlIdentifiers.quote(settings.database())
                + ".public TO "
                + SqlIdentifiers.quote(settings.user()));
      }
    } catch (SQLException e) {
      throw failure("checking names and privileges in Materialize", e);
    }
    if (!conflicts.isEmpty()) {
      throw conflict(
          "Materialize cannot take this onboarding as it stands (nothing was changed): "
              + String.join("; ", conflicts));
    }
    return reused;
  }

  /** A catalog item of the schema onramp creates in: sources, tables, connections, secrets. */
  private record Item(String id, String kind, String type) {}

  /**
   * The item named {@code name} in {@code public} of the configured database, where onramp creates
   * everything (sources, subsources, tables, connections and secrets share one namespace there).
   */
  private Item item(Connection c, String name) throws SQLException {
    String inSchema =
        " AND schema_id IN (SELECT s.id FROM mz_catalog.mz_schemas s JOIN"
            + " mz_catalog.mz_databases d ON d.id = s.database_id WHERE s.name = 'public' AND"
            + " d.name = ?)";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, 'source', type FROM mz_catalog.mz_sources WHERE name = ?"
                + inSchema
                + " UNION ALL SELECT id, 'table', 'table' FROM mz_catalog.mz_tables WHERE name = ?"
                + inSchema
                + " UNION ALL SELECT id, 'connection', type FROM mz_catalog.mz_connections WHERE"
                + " name = ?"
                + inSchema
                + " UNION ALL SELECT id, 'secret', 'secret' FROM mz_catalog.mz_secrets WHERE name"
                + " = ?"
                + inSchema)) {
      for (int i = 0; i < 4; i++) {
        ps.setString(2 * i + 1, name);
        ps.setString(2 * i + 2, settings.database());
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Item(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
      }
    }
  }

  private static String taken(String name, Item item, String wantedFor) {
    String what = item.kind().equals("source") ? item.type() + " source" : item.kind();
    return name
        + " is wanted for "
        + wantedFor
        + " but is already taken by a "
        + what
        + " (catalog item '"
        + name
        + "' already exists); drop it or choose another name";
  }

  /**
   * Whether the user holds a system privilege. Superusers hold all; otherwise Materialize lists the
   * session's own grants in {@code mz_internal.mz_show_my_system_privileges}.
   */
  private static boolean hasSystemPrivilege(Connection c, String privilege) throws SQLException {
    if (isSuperuser(c)) {
      return true;
    }
    return exists(
        c,
        "SELECT 1 FROM mz_internal.mz_show_my_system_privileges WHERE privilege_type = ?",
        privilege);
  }

  private boolean hasSchemaCreate(Connection c) throws SQLException {
    if (isSuperuser(c)) {
      return true;
    }
    return exists(
        c,
        "SELECT 1 FROM mz_internal.mz_show_my_schema_privileges WHERE database = ? AND name ="
            + " 'public' AND privilege_type = 'CREATE'",
        settings.database());
  }

  private static boolean isSuperuser(Connection c) throws SQLException {
    return "on".equalsIgnoreCase(single(c, "SHOW is_superuser"));
  }

  // ---- clusters ----

  @Override
  public void ensureCluster(String cluster, String size) {
    try (Connection c = connect()) {
      if (exists(c, "SELECT 1 FROM mz_catalog.mz_clusters WHERE name = ?", cluster)) {
        // Reused whatever its size (right-sizing may have changed it on purpose) and whoever made
        // it. An unmarked cluster is never adopted here: preflight lets someone else's cluster
        // hold the source, so a retry cannot tell it from one an interrupted attempt created.
        return;
      }
      try {
        exec(
            c,
            "CREATE CLUSTER " + SqlIdentifiers.quote(cluster) + " (SIZE = " + literal(size) + ")");
        mark(c, Kind.CLUSTER, cluster);
        log.info("created Materialize cluster {} ({})", cluster, size);
      } catch (SQLException e) {
        if (!exists(c, "SELECT 1 FROM mz_catalog.mz_clusters WHERE name = ?", cluster)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw failure("creating cluster " + cluster, e);
    }
  }

  @Override
  public ClusterUtilization clusterUtilization(String cluster) {
    try (Connection c = connect()) {
      String size = single(c, "SELECT size FROM mz_catalog.mz_clusters WHERE name = ?", cluster);
      if (size == null) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.INVALID_REQUEST, "Materialize has no cluster named " + cluster);
      }
      double cpu = 0;
      double memory = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT coalesce(max(u.cpu_percent), 0)::float8, coalesce(max(u.memory_percent),"
                  + " 0)::float8 FROM mz_catalog.mz_clusters cl JOIN"
                  + " mz_catalog.mz_cluster_replicas r ON r.cluster_id = cl.id JOIN"
                  + " mz_internal.mz_cluster_replica_utilization u ON u.replica_id = r.id WHERE"
                  + " cl.name = ?")) {
        ps.setString(1, cluster);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            cpu = rs.getDouble(1);
            memory = rs.getDouble(2);
          }
        }
      }
      List<String> sizes =
          column(
              c,
              "SELECT size FROM mz_catalog.mz_cluster_replica_sizes ORDER BY credits_per_hour,"
                  + " size");
      return new ClusterUtilization(
          cluster, size, cpu, memory, suggestSize(size, sizes, Math.max(cpu, memory)));
    } catch (SQLException e) {
      throw failure("reading the utilization of cluster " + cluster, e);
    }
  }

  /**
   * The next size up when the busiest resource passes {@link #SIZE_UP_PERCENT}, the next size down
   * below {@link #SIZE_DOWN_PERCENT}, staying within the current size's family (cc sizes or the
   * legacy names); {@code sizes} is ordered by credits per hour.
   */
  static String suggestSize(String current, List<String> sizes, double peakPercent) {
    boolean cc = isCcSize(current);
    List<String> family = sizes.stream().filter(s -> isCcSize(s) == cc).toList();
    int i = family.indexOf(current);
    if (i < 0) {
      return current;
    }
    if (peakPercent > SIZE_UP_PERCENT && i + 1 < family.size()) {
      return family.get(i + 1);
    }
    if (peakPercent < SIZE_DOWN_PERCENT && i > 0) {
      return family.get(i - 1);
    }
    return current;
  }

  private static boolean isCcSize(String size) {
    return size.matches("\\d+cc|\\d+C");
  }

  @Override
  public void resizeCluster(String cluster, String size) {
    try (Connection c = connect()) {
      String current = single(c, "SELECT size FROM mz_catalog.mz_clusters WHERE name = ?", cluster);
      if (current == null) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.INVALID_REQUEST, "Materialize has no cluster named " + cluster);
      }
      if (current.equals(size)) {
        return;
      }
      refuseForeign(c, Kind.CLUSTER, cluster, "resize it");
      exec(
          c,
          "ALTER CLUSTER " + SqlIdentifiers.quote(cluster) + " SET (SIZE = " + literal(size) + ")");
      log.info("resized Materialize cluster {} from {} to {}", cluster, current, size);
    } catch (SQLException e) {
      throw failure("resizing cluster " + cluster + " to " + size, e);
    }
  }

  // ---- secrets and connections ----

  @Override
  public void ensureSecret(String secretName, String region, SecretRef password) {
    String value = resolver.resolve(region, password, null).password();
    try (Connection c = connect()) {
      boolean exists = exists(c, "SELECT 1 FROM mz_catalog.mz_secrets WHERE name = ?", secretName);
      if (!exists) {
        try {
          exec(c, "CREATE SECRET " + SqlIdentifiers.quote(secretName) + " AS " + literal(value));
          mark(c, Kind.SECRET, secretName);
          log.info("created Materialize secret {}", secretName);
          return;
        } catch (SQLException e) {
          // An overlapping attempt created it meanwhile: converge by updating it below (once it
          // carries onramp's mark).
          if (!alreadyExists(e)
              || !exists(c, "SELECT 1 FROM mz_catalog.mz_secrets WHERE name = ?", secretName)) {
            throw e;
          }
        }
      }
      refuseForeignUnlessOurs(c, Kind.SECRET, secretName, "change its value");
      // ALTER when it exists, so that a rotated password lands; the value itself is never read.
      exec(c, "ALTER SECRET " + SqlIdentifiers.quote(secretName) + " AS " + literal(value));
    } catch (SQLException e) {
      throw failure("storing secret " + secretName, e);
    }
  }

  @Override
  public void ensureConnection(ConnectionSpec spec) {
    Map<String, String> wanted = wanted(spec);
    try (Connection c = connect()) {
      if (exists(c, "SELECT 1 FROM mz_catalog.mz_connections WHERE name = ?", spec.name())) {
        refuseForeignUnlessOurs(c, Kind.CONNECTION, spec.name(), "take it over");
      }
      Optional<String> problem = existingConnectionProblem(c, spec);
      if (problem != null) {
        if (problem.isPresent()) {
          throw conflict(problem.get());
        }
        return;
      }
      StringBuilder sql = new StringBuilder("CREATE CONNECTION ");
      sql.append(SqlIdentifiers.quote(spec.name())).append(" TO POSTGRES (");
      sql.append("HOST ").append(literal(spec.host()));
      sql.append(", PORT ").append(wanted.get("PORT"));
      sql.append(", USER ").append(literal(spec.user()));
      sql.append(", PASSWORD SECRET ").append(SqlIdentifiers.quote(spec.passwordSecret()));
      sql.append(", SSL MODE ").append(literal(wanted.get("SSL MODE")));
      if (upstreamCertificateAuthority != null && wanted.get("SSL MODE").startsWith("verify")) {
        sql.append(", SSL CERTIFICATE AUTHORITY = ").append(literal(upstreamCertificateAuthority));
      }
      sql.append(", DATABASE ").append(literal(spec.database()));
      if (spec.sshTunnelConnection() != null) {
        sql.append(", SSH TUNNEL ").append(SqlIdentifiers.quote(spec.sshTunnelConnection()));
      }
      if (spec.privatelinkConnection() != null) {
        sql.append(", AWS PRIVATELINK ").append(SqlIdentifiers.quote(spec.privatelinkConnection()));
      }
      sql.append(")");
      // Validated on create: Materialize checks the upstream before it accepts the connection.
      try {
        exec(c, sql.toString());
        mark(c, Kind.CONNECTION, spec.name());
      } catch (SQLException e) {
        // An overlapping attempt created it meanwhile: reuse it if it is the same and onramp's.
        Optional<String> found = alreadyExists(e) ? existingConnectionProblem(c, spec) : null;
        if (found == null) {
          throw e;
        }
        refuseForeignUnlessOurs(c, Kind.CONNECTION, spec.name(), "take it over");
        if (found.isPresent()) {
          throw conflict(found.get());
        }
        return;
      }
      log.info("created Materialize connection {} to {}:{}", spec.name(), spec.host(), spec.port());
    } catch (SQLException e) {
      throw failure("creating connection " + spec.name(), e);
    }
  }

  /**
   * Null when no connection has this name; empty when one exists with this definition; otherwise
   * what is wrong with the one that exists, as a sentence naming the fix.
   */
  private static Optional<String> existingConnectionProblem(Connection c, ConnectionSpec spec)
      throws SQLException {
    String existing;
    String type;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT type, create_sql FROM mz_catalog.mz_connections WHERE name = ?")) {
      ps.setString(1, spec.name());
      try (ResultSet rs = ps.executeQuery()) {
        type = rs.next() ? rs.getString(1) : null;
        existing = type == null ? null : rs.getString(2);
      }
    }
    if (type == null) {
      return null;
    }
    if (!"postgres".equals(type)) {
      return Optional.of(
          "connection "
              + spec.name()
              + " exists and is a "
              + type
              + " connection, not a PostgreSQL one; use another name");
    }
    List<String> differences = new ArrayList<>();
    Map<String, String> actual = connectionOptions(existing);
    wanted(spec)
        .forEach(
            (k, v) -> {
              String a = actual.get(k);
              if (!Objects.equals(a, v)) {
                differences.add(k + " is " + show(a) + ", wanted " + show(v));
              }
            });
    if (differences.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "connection "
            + spec.name()
            + " already exists with a different definition: "
            + String.join("; ", differences)
            + ". Drop it (DROP CONNECTION "
            + SqlIdentifiers.quote(spec.name())
            + " CASCADE) or choose another name");
  }

  /** Materialize's (and PostgreSQL's) duplicate_object: an overlapping attempt got there first. */
  private static boolean alreadyExists(SQLException e) {
    return "42710".equals(e.getSQLState())
        || String.valueOf(e.getMessage()).contains("already exists");
  }

  private static Map<String, String> wanted(ConnectionSpec spec) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HOST", spec.host());
    m.put("PORT", Integer.toString(spec.port() == 0 ? 5432 : spec.port()));
    m.put("USER", spec.user());
    m.put("DATABASE", spec.database());
    m.put(
        "SSL MODE",
        spec.sslMode() == null
            ? "require"
            : spec.sslMode().toLowerCase(Locale.ROOT).replace('-', '_'));
    m.put("PASSWORD SECRET", spec.passwordSecret());
    m.put("SSH TUNNEL", spec.sshTunnelConnection());
    m.put("AWS PRIVATELINK", spec.privatelinkConnection());
    return m;
  }

  private static String show(String v) {
    return v == null ? "unset" : "'" + v + "'";
  }

  private static final String STRING = "'((?:[^']|'')*)'";
  private static final String NAME =
      "((?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][\\w$]*)(?:\\s*\\.\\s*(?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][\\w$]*))*)";

  /**
   * The options of a {@code CREATE CONNECTION ... TO POSTGRES} statement as Materialize shows it in
   * {@code create_sql} (normalized as {@code HOST = 'h'} or as written, {@code HOST 'h'}).
   */
  static Map<String, String> connectionOptions(String createSql) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HOST", string(createSql, "\\bHOST"));
    String port = find(createSql, "\\bPORT\\s*=?\\s*(\\d+)");
    m.put("PORT", port == null ? "5432" : port);
    m.put("USER", string(createSql, "\\bUSER"));
    m.put("DATABASE", string(createSql, "\\bDATABASE"));
    String ssl = string(createSql, "\\bSSL\\s+MODE");
    m.put("SSL MODE", ssl == null ? "disable" : ssl.toLowerCase(Locale.ROOT).replace('-', '_'));
    m.put("PASSWORD SECRET", lastPart(find(createSql, "\\bPASSWORD\\s*=?\\s*SECRET\\s+" + NAME)));
    m.put("SSH TUNNEL", lastPart(find(createSql, "\\bSSH\\s+TUNNEL\\s*=?\\s*" + NAME)));
    m.put("AWS PRIVATELINK", lastPart(find(createSql, "\\bAWS\\s+PRIVATELINK\\s*=?\\s*" + NAME)));
    return m;
  }

  private static String string(String sql, String key) {
    String v = find(sql, key + "\\s*=?\\s*" + STRING);
    return v == null ? null : v.replace("''", "'");
  }

  private static String find(String sql, String regex) {
    Matcher m = Pattern.compile("(?i)" + regex).matcher(sql == null ? "" : sql);
    return m.find() ? m.group(1) : null;
  }

  /** The last part of a possibly qualified, possibly quoted name, unquoted. */
  static String lastPart(String name) {
    if (name == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([A-Za-z_][\\w$]*)").matcher(name);
    while (m.find()) {
      parts.add(
          m.group(1) != null
              ? m.group(1).replace("\"\"", "\"")
              : m.group(2).toLowerCase(Locale.ROOT));
    }
    return parts.isEmpty() ? null : parts.get(parts.size() - 1);
  }

  // ---- ownership ----

  /**
   * The Materialize objects onramp manages, with the catalog relation that names them and the
   * {@code object_type} Materialize records for their comments in {@code mz_internal.mz_comments}.
   */
  enum Kind {
    CLUSTER("mz_catalog.mz_clusters", "cluster"),
    SECRET("mz_catalog.mz_secrets", "secret"),
    CONNECTION("mz_catalog.mz_connections", "connection"),
    SOURCE("mz_catalog.mz_sources", "source");

    final String relation;
    final String type;

    Kind(String relation, String type) {
      this.relation = relation;
      this.type = type;
    }

    String keyword() {
      return name();
    }
  }

  /**
   * Marks an object onramp just created: {@code COMMENT ON} (MZ:doc/user/content/sql/comment-on.md;
   * the creator owns the object, which is what COMMENT ON requires).
   */
  private static void mark(Connection c, Kind kind, String name) throws SQLException {
    exec(
        c,
        "COMMENT ON "
            + kind.keyword()
            + " "
            + SqlIdentifiers.quote(name)
            + " IS "
            + literal(Ownership.COMMENT));
  }

  /** An existing object's comment ({@code null}: it has none). */
  private record Existing(String comment) {
    boolean onramps() {
      return Ownership.isOnrampComment(comment);
    }
  }

  /** The object named {@code name} with its comment, or null when there is none. */
  private static Existing existing(Connection c, Kind kind, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT o.id, cm.comment FROM "
                + kind.relation
                + " o LEFT JOIN mz_internal.mz_comments cm ON cm.id = o.id AND cm.object_type = ?"
                + " WHERE o.name = ?")) {
      ps.setString(1, kind.type);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Existing(rs.getString(2)) : null;
      }
    }
  }

  /** A non-retryable refusal when {@code name} exists and is not onramp's. */
  private static void refuseForeign(Connection c, Kind kind, String name, String wouldDo)
      throws SQLException {
    Existing e = existing(c, kind, name);
    if (e != null && !e.onramps()) {
      throw foreign(kind, name, wouldDo);
    }
  }

  /**
   * The create steps' check for secrets, connections and sources. Materialize cannot run CREATE and
   * COMMENT ON in one transaction, so an attempt killed between the two leaves the object without
   * any comment; a retry of the same activity (attempt 2 or later, after preflight found the name
   * free or onramp's) marks it and goes on. On a first attempt, or with someone else's comment, it
   * is refused.
   */
  private static void refuseForeignUnlessOurs(Connection c, Kind kind, String name, String wouldDo)
      throws SQLException {
    Existing e = existing(c, kind, name);
    if (e == null || e.onramps()) {
      return;
    }
    // An overlapping attempt may have created it a moment ago and be about to mark it.
    for (int i = 0; i < MARK_WAIT_CHECKS && e != null && e.comment() == null; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      }
      e = existing(c, kind, name);
    }
    if (e == null || e.onramps()) {
      return;
    }
    if (e.comment() == null && attempt() > 1) {
      mark(c, kind, name);
      log.warn(
          "marked Materialize {} {} as onramp's: an earlier attempt created it and was"
              + " interrupted before COMMENT ON",
          kind.type,
          name);
      return;
    }
    throw foreign(kind, name, wouldDo);
  }

  /** How many times (100 ms apart) an unmarked object is looked at again before it is refused. */
  private static final int MARK_WAIT_CHECKS = 30;

  /** This activity's attempt; 1 when called directly (as in a unit test). */
  private static int attempt() {
    try {
      return Activity.getExecutionContext().getInfo().getAttempt();
    } catch (IllegalStateException notInActivity) {
      return 1;
    }
  }

  private static ApplicationFailure foreign(Kind kind, String name, String wouldDo) {
    String quoted = SqlIdentifiers.quote(name);
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.FOREIGN_OBJECT,
        "Materialize "
            + kind.type
            + " "
            + quoted
            + " already exists and was not created by onramp (it has no '"
            + Ownership.COMMENT
            + "' comment in mz_internal.mz_comments); onramp would have to "
            + wouldDo
            + ". Choose another "
            + kind.type
            + " name in the request, or, if onramp may manage it, run COMMENT ON "
            + kind.keyword()
            + " "
            + quoted
            + " IS '"
            + Ownership.COMMENT
            + "' and start again");
  }

  @Override
  public void checkMaterializeOwnership(
      String cluster, String secret, String connection, String source, String resizeTo) {
    try (Connection c = connect()) {
      // A cluster someone else made may hold onramp's source (that changes nothing of it), but
      // onramp never resizes it.
      if (resizeTo != null && cluster != null) {
        refuseForeign(c, Kind.CLUSTER, cluster, "resize it to " + resizeTo);
      }
      refuseForeign(c, Kind.SECRET, secret, "change its value");
      refuseForeign(c, Kind.CONNECTION, connection, "take it over");
      refuseForeign(c, Kind.SOURCE, source, "add tables to it");
    } catch (SQLException e) {
      throw failure("checking who owns the Materialize objects", e);
    }
  }

  // ---- sources ----

  @Override
  public SourceInfo ensureSource(SourceSpec spec) {
    SourceSyntax syntax = spec.syntax() != null ? spec.syntax() : describe().sourceSyntax();
    try (Connection c = connect()) {
      if (spec.cluster() != null) {
        exec(c, "SET CLUSTER = " + SqlIdentifiers.quote(spec.cluster()));
      }
      String id;
      boolean created = false;
      if (exists(c, "SELECT 1 FROM mz_catalog.mz_sources WHERE name = ?", spec.name())) {
        refuseForeignUnlessOurs(c, Kind.SOURCE, spec.name(), "add tables to it");
      }
      id = existingSource(c, spec);
      if (id == null) {
        try {
          exec(c, createSource(spec, syntax));
          mark(c, Kind.SOURCE, spec.name());
          created = true;
          log.info("created Materialize source {} ({})", spec.name(), syntax);
        } catch (SQLException e) {
          // An overlapping attempt created it meanwhile: reuse it if it is the same and onramp's.
          if (!alreadyExists(e) || existingSource(c, spec) == null) {
            throw e;
          }
          refuseForeignUnlessOurs(c, Kind.SOURCE, spec.name(), "add tables to it");
        }
        id = single(c, "SELECT id FROM mz_catalog.mz_sources WHERE name = ?", spec.name());
      }
      addMissingTables(c, id, spec, syntax);
      return new SourceInfo(spec.name(), relations(c, id, syntax), created);
    } catch (SQLException e) {
      throw failure("creating source " + spec.name(), e);
    }
  }

  /** The id of the source of this name (after checking it is the same), or null. */
  private static String existingSource(Connection c, SourceSpec spec) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.id, s.type, cn.name, cl.name, s.create_sql FROM mz_catalog.mz_sources s"
                + " LEFT JOIN mz_catalog.mz_connections cn ON cn.id = s.connection_id"
                + " LEFT JOIN mz_catalog.mz_clusters cl ON cl.id = s.cluster_id"
                + " WHERE s.name = ?")) {
      ps.setString(1, spec.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String id = rs.getString(1);
        checkSame(spec, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
        return id;
      }
    }
  }

  private static void checkSame(
      SourceSpec spec, String type, String connection, String cluster, String createSql) {
    List<String> differences = new ArrayList<>();
    if (!"postgres".equals(type)) {
      throw conflict(
          spec.name()
              + " exists and is a "
              + type
              + " source, not a PostgreSQL source; use"
              + " another name");
    }
    if (!Objects.equals(connection, spec.connection())) {
      differences.add(
          "its connection is " + show(connection) + ", wanted " + show(spec.connection()));
    }
    if (spec.cluster() != null && !Objects.equals(cluster, spec.cluster())) {
      differences.add("its cluster is " + show(cluster) + ", wanted " + show(spec.cluster()));
    }
    String publication = string(createSql, "\\bPUBLICATION");
    if (publication != null && !publication.equals(spec.publication())) {
      differences.add(
          "its publication is " + show(publication) + ", wanted " + show(spec.publication()));
    }
    if (!differences.isEmpty()) {
      throw conflict(
          "source "
              + spec.name()
              + " already exists with a different definition: "
              + String.join("; ", differences)
              + ". Drop it (DROP SOURCE "
              + SqlIdentifiers.quote(spec.name())
              + " CASCADE) or choose another name");
    }
  }

  private static String createSource(SourceSpec spec, SourceSyntax syntax) {
    StringBuilder sql =
        new StringBuilder("CREATE SOURCE ").append(SqlIdentifiers.quote(spec.name()));
    if (spec.cluster() != null) {
      sql.append(" IN CLUSTER ").append(SqlIdentifiers.quote(spec.cluster()));
    }
    sql.append(" FROM POSTGRES CONNECTION ")
        .append(SqlIdentifiers.quote(spec.connection()))
        .append(" (PUBLICATION ")
        .append(literal(spec.publication()))
        .append(")");
    if (syntax == SourceSyntax.SUBSOURCES && spec.relations() != null) {
      if (spec.relations().isEmpty()) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.TABLE_NOT_FOUND,
            "no tables to ingest into source " + spec.name() + "; the publication has none");
      }
      // Every subsource named after its source, so that two databases with the same table names
      // can both be onboarded (see SourceTable).
      sql.append(" FOR TABLES (")
          .append(
              String.join(
                  ", ",
                  spec.relations().stream()
                      .map(r -> r.upstream().quoted() + " AS " + SqlIdentifiers.quote(r.relation()))
                      .toList()))
          .append(")");
    } else if (syntax == SourceSyntax.SUBSOURCES) {
      TableSelection t = spec.tables();
      switch (t.mode()) {
        case ALL_TABLES -> sql.append(" FOR ALL TABLES");
        case TABLES ->
            sql.append(" FOR TABLES (")
                .append(
                    String.join(", ", t.tableNames().stream().map(QualifiedName::quoted).toList()))
                .append(")");
        case SCHEMAS ->
            sql.append(" FOR SCHEMAS (")
                .append(
                    String.join(", ", t.schemaNames().stream().map(SqlIdentifiers::quote).toList()))
                .append(")");
      }
    }
    return sql.toString();
  }

  /** Upstream tables the source should ingest but does not yet. */
  private void addMissingTables(Connection c, String id, SourceSpec spec, SourceSyntax syntax)
      throws SQLException {
    Set<QualifiedName> have = new LinkedHashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT schema_name, table_name FROM mz_internal.mz_postgres_source_tables WHERE id IN"
                + " ("
                + outputIds()
                + ")")) {
      ps.setString(1, id);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          have.add(new QualifiedName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    if (spec.relations() != null) {
      addMissingRelations(c, spec, syntax, have);
      return;
    }
    List<QualifiedName> want = new ArrayList<>();
    TableSelection t = spec.tables();
    if (t.mode() == TableSelection.Mode.TABLES) {
      want.addAll(t.tableNames());
    } else if (syntax == SourceSyntax.TABLES_FROM_SOURCE) {
      // The FOR ALL TABLES / FOR SCHEMAS of the new syntax: every reference the source offers.
      Set<String> schemas = new LinkedHashSet<>(t.schemaNames());
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, name FROM mz_internal.mz_source_references WHERE source_id = ?"
                  + " ORDER BY 1, 2")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (t.mode() == TableSelection.Mode.ALL_TABLES || schemas.contains(rs.getString(1))) {
              want.add(new QualifiedName(rs.getString(1), rs.getString(2)));
            }
          }
        }
      }
    }
    List<QualifiedName> missing = want.stream().filter(q -> !have.contains(q)).toList();
    if (missing.isEmpty()) {
      return;
    }
    if (syntax == SourceSyntax.SUBSOURCES) {
      exec(
          c,
          "ALTER SOURCE "
              + SqlIdentifiers.quote(spec.name())
              + " ADD SUBSOURCE "
              + String.join(", ", missing.stream().map(QualifiedName::quoted).toList()));
    } else {
      for (QualifiedName q : missing) {
        exec(
            c,
            "CREATE TABLE "
                + SqlIdentifiers.quote(q.name())
                + " FROM SOURCE "
                + SqlIdentifiers.quote(spec.name())
                + " (REFERENCE "
                + q.quoted()
                + ")");
      }
    }
    log.info("source {}: added {}", spec.name(), missing);
  }

  /** The planned relations whose upstream table the source does not ingest yet. */
  private static void addMissingRelations(
      Connection c, SourceSpec spec, SourceSyntax syntax, Set<QualifiedName> have)
      throws SQLException {
    List<SourceTable> missing =
        spec.relations().stream().filter(r -> !have.contains(r.upstream())).toList();
    if (missing.isEmpty()) {
      return;
    }
    if (syntax == SourceSyntax.SUBSOURCES) {
      try {
        exec(
            c,
            "ALTER SOURCE "
                + SqlIdentifiers.quote(spec.name())
                + " ADD SUBSOURCE "
                + String.join(
                    ", ",
                    missing.stream()
                        .map(
                            r ->
                                r.upstream().quoted() + " AS " + SqlIdentifiers.quote(r.relation()))
                        .toList()));
      } catch (SQLException e) {
        // An overlapping attempt added them meanwhile: converge if the source now has them all.
        if (!alreadyExists(e)
            || !relations(
                    c,
                    single(c, "SELECT id FROM mz_catalog.mz_sources WHERE name = ?", spec.name()),
                    syntax)
                .containsAll(missing.stream().map(SourceTable::relation).toList())) {
          throw e;
        }
      }
    } else {
      for (SourceTable r : missing) {
        try {
          exec(
              c,
              "CREATE TABLE "
                  + SqlIdentifiers.quote(r.relation())
                  + " FROM SOURCE "
                  + SqlIdentifiers.quote(spec.name())
                  + " (REFERENCE "
                  + r.upstream().quoted()
                  + ")");
        } catch (SQLException e) {
          // An overlapping attempt created this table from the same source: converge.
          if (!alreadyExists(e)
              || !exists(
                  c,
                  "SELECT 1 FROM mz_catalog.mz_tables t JOIN mz_catalog.mz_sources s ON s.id ="
                      + " t.source_id WHERE t.name = ? AND s.name = ?",
                  r.relation(),
                  spec.name())) {
            throw e;
          }
        }
      }
    }
    log.info(
        "source {}: added {}", spec.name(), missing.stream().map(SourceTable::relation).toList());
  }

  /**
   * The ids of a source's subsources and tables (two parameters, both the source id). Materialize
   * has recorded the dependency in both directions over time, and v26 links tables through
   * mz_tables.source_id.
   */
  private static String outputIds() {
    return "SELECT object_id FROM mz_internal.mz_object_dependencies WHERE referenced_object_id ="
        + " ? UNION SELECT referenced_object_id FROM mz_internal.mz_object_dependencies WHERE"
        + " object_id = ?";
  }

  private static List<String> relations(Connection c, String id, SourceSyntax syntax)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name FROM mz_catalog.mz_sources WHERE type = 'subsource' AND id IN ("
                + outputIds()
                + ") ORDER BY name")) {
      ps.setString(1, id);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    if (syntax == SourceSyntax.TABLES_FROM_SOURCE) {
      out.addAll(
          column(c, "SELECT name FROM mz_catalog.mz_tables WHERE source_id = ? ORDER BY name", id));
    }
    return out;
  }

  // ---- status ----

  @Override
  public SnapshotStatus sourceStatus(String source) {
    try (Connection c = connect()) {
      return status(c, source).status();
    } catch (SQLException e) {
      throw failure("reading the status of source " + source, e);
    }
  }

  /** The status together with the first error any of the source's relations reports. */
  private record Observed(SnapshotStatus status, String error) {}

  private static Observed status(Connection c, String source) throws SQLException {
    String id =
        single(
            c,
            "SELECT id FROM mz_catalog.mz_sources WHERE name = ? AND type NOT IN ('subsource',"
                + " 'progress')",
            source);
    if (id == null) {
      return new Observed(new SnapshotStatus("missing", false, 0, 0), "source does not exist");
    }
    String ids =
        "SELECT ? UNION "
            + outputIds()
            + " UNION SELECT id FROM mz_catalog.mz_tables WHERE source_id = ?";
    String worst = "running";
    String error = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT status, error FROM mz_internal.mz_source_statuses WHERE id IN ("
                + ids
                + ") ORDER BY id")) {
      bindIds(ps, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String s = rs.getString(1);
          if (rank(s) > rank(worst)) {
            worst = s;
          }
          if (error == null && rs.getString(2) != null) {
            error = rs.getString(2);
          }
        }
      }
    }
    boolean committed = false;
    long known = 0;
    long staged = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT bool_and(snapshot_committed), max(CASE WHEN id = ? THEN"
                + " snapshot_records_known END)::int8, max(CASE WHEN id = ? THEN"
                + " snapshot_records_staged END)::int8 FROM mz_internal.mz_source_statistics WHERE"
                + " id IN ("
                + ids
                + ")")) {
      ps.setString(1, id);
      ps.setString(2, id);
      ps.setString(3, id);
      ps.setString(4, id);
      ps.setString(5, id);
      ps.setString(6, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          committed = rs.getBoolean(1);
          known = rs.getLong(2);
          staged = rs.getLong(3);
        }
      }
    }
    return new Observed(new SnapshotStatus(worst, committed, known, staged), error);
  }

  private static void bindIds(PreparedStatement ps, String id) throws SQLException {
    for (int i = 1; i <= 4; i++) {
      ps.setString(i, id);
    }
  }

  /** How bad a status is, for the summary over a source and its relations. */
  private static int rank(String status) {
    return switch (status == null ? "" : status) {
      case "running" -> 0;
      case "paused" -> 1;
      case "created", "starting" -> 2;
      case "stalled" -> 3;
      case "failed", "dropped" -> 4;
      default -> 2;
    };
  }

  @Override
  public SnapshotStatus awaitSnapshot(String source, Duration pollInterval, Duration stalledGrace) {
    long sleep = Math.max(100, pollInterval == null ? 1000 : pollInterval.toMillis());
    long graceNanos = stalledGrace == null ? 0 : stalledGrace.toNanos();
    long stalledSince = -1;
    while (true) {
      Observed o;
      try (Connection c = connect()) {
        o = status(c, source);
      } catch (SQLException e) {
        throw failure("reading the status of source " + source, e);
      }
      SnapshotStatus s = o.status();
      heartbeat(s);
      switch (s.status()) {
        case "missing" ->
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.SOURCE_FAILED, "source " + source + " does not exist");
        case "stalled" -> {
          // Materialize sources stall on transient upstream trouble and recover by themselves;
          // only a stall that outlasts the grace period is final.
          long now = System.nanoTime();
          if (stalledSince < 0) {
            stalledSince = now;
          }
          if (now - stalledSince >= graceNanos) {
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.SOURCE_FAILED,
                "source "
                    + source
                    + " is stalled"
                    + (graceNanos > 0 ? " (for more than " + stalledGrace.toSeconds() + " s)" : "")
                    + ": "
                    + (o.error() == null ? "no error reported" : o.error()));
          }
        }
        case "failed", "dropped" ->
            throw OnboardingFailures.nonRetryable(
                OnboardingFailures.SOURCE_FAILED,
                "source "
                    + source
                    + " is "
                    + s.status()
                    + ": "
                    + (o.error() == null ? "no error reported" : o.error()));
        default -> {
          stalledSince = -1;
          if (s.snapshotCommitted() && "running".equals(s.status())) {
            return s;
          }
        }
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for " + source, OnboardingFailures.NOT_READY);
      }
    }
  }

  /** Heartbeats when running as an activity (and not when called directly, as in a unit test). */
  private static void heartbeat(SnapshotStatus status) {
    try {
      Activity.getExecutionContext().heartbeat(status);
    } catch (IllegalStateException notInActivity) {
      // called outside an activity
    }
  }

  // ---- JDBC helpers ----

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String single(Connection c, String sql, String... args) throws SQLException {
    List<String> values = column(c, sql, args);
    return values.isEmpty() ? null : values.get(0);
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

  private static List<String> column(Connection c, String sql, String... args) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  @Override
  public LedgerEntry convergeCluster(ClusterSpec spec) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }

  @Override
  public LedgerEntry convergeSecret(MzSecretSpec spec) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }

  @Override
  public LedgerEntry convergeConnection(ConnectionSpec spec) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }

  @Override
  public SourceInfo convergeSource(SourceSpec spec) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }

  @Override
  public List<PlannedChange> planMaterialize(MaterializePlan plan) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }

  @Override
  public List<Finding> materializeDrift(MaterializePlan plan) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }

  @Override
  public List<Removal> removeMaterialize(MaterializeRemoval removal) {
    throw new UnsupportedOperationException("issue 13, slice materialize");
  }
}
