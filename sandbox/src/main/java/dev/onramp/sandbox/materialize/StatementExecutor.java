package dev.onramp.sandbox.materialize;

import dev.onramp.sandbox.materialize.Catalog.Item;
import dev.onramp.sandbox.materialize.sql.MzStatement;
import dev.onramp.sandbox.materialize.sql.MzStatement.ObjectKind;
import dev.onramp.sandbox.materialize.sql.MzStatement.TableRef;
import dev.onramp.sandbox.materialize.sql.MzStatement.TableSpec;
import dev.onramp.sandbox.materialize.sql.MzStatementParser;
import dev.onramp.sandbox.materialize.sql.Routed;
import dev.onramp.sandbox.materialize.tunnel.PrivateLinkEndpoints;
import dev.onramp.sandbox.materialize.tunnel.SshKeyPairs;
import dev.onramp.sandbox.materialize.tunnel.SshTunnelSpec;
import dev.onramp.sandbox.materialize.tunnel.SshTunnels;
import dev.onramp.sandbox.materialize.upstream.UpstreamEndpoint;
import dev.onramp.sandbox.materialize.upstream.UpstreamTable;
import dev.onramp.sandbox.materialize.upstream.UpstreamValidator;
import dev.onramp.sandbox.materialize.wire.SessionHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes Materialize statements against the catalog. Every statement runs in one backing
 * transaction, so a failure leaves nothing half-created; upstream validation happens before
 * anything is written.
 */
final class StatementExecutor implements SessionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StatementExecutor.class);

  private final Catalog catalog;
  private final Ingestions ingestions;
  private final UpstreamValidator validator;
  private final Faults faults;
  private final SyntaxGeneration syntax;
  private final MzStatementParser parser;
  private volatile PrivateLinkEndpoints privateLinkEndpoints = PrivateLinkEndpoints.NONE;

  StatementExecutor(
      Catalog catalog, Ingestions ingestions, Faults faults, SyntaxGeneration syntax) {
    this.catalog = catalog;
    this.ingestions = ingestions;
    this.faults = faults;
    this.syntax = syntax;
    this.validator = new UpstreamValidator(faults);
    this.parser = new MzStatementParser(syntax);
  }

  /** Where AWS PRIVATELINK connections learn the state of their VPC endpoints. */
  void privateLinkEndpoints(PrivateLinkEndpoints endpoints) {
    this.privateLinkEndpoints = endpoints;
  }

  @Override
  public Routed route(String sql, MzSession session) {
    return parser.route(sql, session);
  }

  @Override
  public synchronized Result execute(MzStatement statement, MzSession session) {
    List<String> notices = new ArrayList<>();
    try {
      String tag = dispatch(statement, session, notices);
      return new Result(tag, notices);
    } catch (SQLException e) {
      LOG.warn("statement failed in the backing database", e);
      throw new MzSqlException(MzSqlException.INTERNAL_ERROR, "internal error: " + e.getMessage());
    }
  }

  private String dispatch(MzStatement statement, MzSession session, List<String> notices)
      throws SQLException {
    checkPrivileges(statement, session);
    if (statement instanceof MzStatement.SetCluster s) {
      session.cluster(s.cluster() == null ? MaterializeStandIn.DEFAULT_CLUSTER : s.cluster());
      return "SET";
    } else if (statement instanceof MzStatement.CreateCluster s) {
      return createCluster(s, notices);
    } else if (statement instanceof MzStatement.AlterCluster s) {
      return alterCluster(s, notices);
    } else if (statement instanceof MzStatement.CreateSecret s) {
      return createSecret(s, notices);
    } else if (statement instanceof MzStatement.AlterSecret s) {
      return alterSecret(s, notices);
    } else if (statement instanceof MzStatement.CreatePostgresConnection s) {
      return createPostgresConnection(s, notices);
    } else if (statement instanceof MzStatement.CreateSshTunnelConnection s) {
      return createSshTunnel(s, notices);
    } else if (statement instanceof MzStatement.CreatePrivatelinkConnection s) {
      return createPrivatelink(s, notices);
    } else if (statement instanceof MzStatement.AlterConnection s) {
      return new ConnectionAlteration(catalog, validator, ingestions).alter(s, notices);
    } else if (statement instanceof MzStatement.ValidateConnection s) {
      return validateConnection(s);
    } else if (statement instanceof MzStatement.CreateSource s) {
      return createSource(s, session, notices);
    } else if (statement instanceof MzStatement.CreateTableFromSource s) {
      return createTableFromSource(s, notices);
    } else if (statement instanceof MzStatement.AlterSourceAdd s) {
      return alterSourceAdd(s, notices);
    } else if (statement instanceof MzStatement.AlterSourceDropSubsources s) {
      return alterSourceDrop(s, notices);
    } else if (statement instanceof MzStatement.AlterSourceRefresh s) {
      String id = requireSource(s.source()).id();
      try (Connection c = tx()) {
        SourceIngestion.SourceState state = SourceIngestion.load(c, id);
        recordReferences(c, id, state.endpoint(), state.publication());
        c.commit();
      }
      return "ALTER SOURCE";
    } else if (statement instanceof MzStatement.Drop s) {
      return drop(s, notices);
    } else if (statement instanceof MzStatement.Comment s) {
      return comment(s);
    }
    throw MzSqlException.unsupported("unsupported statement " + statement);
  }

  // ---- privileges ----

  /**
   * Refuses what a privilege withheld from the user ({@link MaterializeStandIn#withholdPrivilege})
   * would allow: CREATE CLUSTER needs CREATECLUSTER on SYSTEM; creating secrets, connections,
   * sources, subsources and tables needs CREATE on the schema materialize.public.
   */
  private void checkPrivileges(MzStatement statement, MzSession session) throws SQLException {
    String needed;
    String on;
    if (statement instanceof MzStatement.CreateCluster) {
      needed = "CREATECLUSTER";
      on = "SYSTEM";
    } else if (statement instanceof MzStatement.CreateSecret
        || statement instanceof MzStatement.CreatePostgresConnection
        || statement instanceof MzStatement.CreateSshTunnelConnection
        || statement instanceof MzStatement.CreatePrivatelinkConnection
        || statement instanceof MzStatement.CreateSource
        || statement instanceof MzStatement.CreateTableFromSource
        || statement instanceof MzStatement.AlterSourceAdd) {
      needed = "CREATE ON SCHEMA";
      on = "SCHEMA \"materialize.public\"";
    } else {
      return;
    }
    try (Connection c = catalog.connect()) {
      if (catalog.isWithheld(c, needed)) {
        throw new MzSqlException(
            MzSqlException.INSUFFICIENT_PRIVILEGE,
            "permission denied for " + on,
            "The '"
                + session.user()
                + "' role needs "
                + needed.replace(" ON SCHEMA", "")
                + " privileges on "
                + on,
            null);
      }
    }
  }

  // ---- clusters ----

  private String createCluster(MzStatement.CreateCluster s, List<String> notices)
      throws SQLException {
    try (Connection c = tx()) {
      if (catalog.findCluster(c, s.name()).isPresent()) {
        throw new MzSqlException(
            MzSqlException.DUPLICATE_OBJECT, "cluster '" + s.name() + "' already exists");
      }
      checkSize(c, s.size());
      catalog.insertCluster(
          c,
          "u" + catalog.nextval(c, "mz_standin.cluster_ids"),
          s.name(),
          s.size(),
          s.replicationFactor());
      c.commit();
    }
    return "CREATE CLUSTER";
  }

  private String alterCluster(MzStatement.AlterCluster s, List<String> notices)
      throws SQLException {
    try (Connection c = tx()) {
      Optional<Catalog.Cluster> cluster = catalog.findCluster(c, s.name());
      if (cluster.isEmpty()) {
        if (s.ifExists()) {
          notices.add("cluster \"" + s.name() + "\" does not exist, skipping");
          return "ALTER CLUSTER";
        }
        throw unknownCluster(s.name());
      }
      requireUserCluster(cluster.get(), s.name());
      String size = s.size() == null ? cluster.get().size() : s.size();
      int rf =
          s.replicationFactor() == null ? cluster.get().replicationFactor() : s.replicationFactor();
      checkSize(c, size);
      Jdbc.update(
          c,
          "UPDATE mz_catalog.mz_clusters SET size = ?, replication_factor = ? WHERE id = ?",
          size,
          rf,
          cluster.get().id());
      catalog.createReplicas(c, cluster.get().id(), size, rf);
      c.commit();
    }
    return "ALTER CLUSTER";
  }

  private void checkSize(Connection c, String size) throws SQLException {
    List<String> sizes =
        Jdbc.strings(
            c,
            "SELECT size FROM mz_catalog.mz_cluster_replica_sizes ORDER BY credits_per_hour,"
                + " size");
    if (!sizes.contains(size)) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "unknown cluster replica size " + size,
          null,
          "Valid cluster replica sizes are: " + String.join(", ", sizes));
    }
  }

  /** System clusters (ids s1, s2, ...) are Materialize's own, not the user's to change. */
  private static void requireUserCluster(Catalog.Cluster cluster, String name) {
    if (cluster.id().startsWith("s")) {
      throw new MzSqlException(
          MzSqlException.INSUFFICIENT_PRIVILEGE,
          "system cluster '" + name + "' cannot be modified");
    }
  }

  private static MzSqlException unknownCluster(String name) {
    return new MzSqlException(MzSqlException.UNDEFINED_OBJECT, "unknown cluster '" + name + "'");
  }

  // ---- secrets ----

  private String createSecret(MzStatement.CreateSecret s, List<String> notices)
      throws SQLException {
    try (Connection c = tx()) {
      if (exists(c, s.name(), s.ifNotExists(), notices)) {
        return "CREATE SECRET";
      }
      String id = catalog.nextItemId(c);
      Jdbc.update(
          c,
          "INSERT INTO mz_catalog.mz_secrets VALUES (?, ?, ?, ?, ?, '{u1=U/u1}')",
          id,
          catalog.nextOid(c),
          Catalog.PUBLIC_SCHEMA_ID,
          s.name(),
          Catalog.OWNER_ID);
      Jdbc.update(c, "INSERT INTO mz_standin.secret_values VALUES (?, ?)", id, s.value());
      c.commit();
    }
    return "CREATE SECRET";
  }

  private String alterSecret(MzStatement.AlterSecret s, List<String> notices) throws SQLException {
    String id;
    try (Connection c = tx()) {
      Optional<Item> item = catalog.findItem(c, s.name());
      if (item.isEmpty()) {
        if (s.ifExists()) {
          notices.add("secret \"" + s.name() + "\" does not exist, skipping");
          return "ALTER SECRET";
        }
        throw unknownItem(s.name());
      }
      requireKind(item.get(), "secret");
      id = item.get().id();
      Jdbc.update(c, "UPDATE mz_standin.secret_values SET value = ? WHERE id = ?", s.value(), id);
      c.commit();
    }
    ingestions.restartUsingSecret(id);
    return "ALTER SECRET";
  }

  // ---- connections ----

  private String createPostgresConnection(
      MzStatement.CreatePostgresConnection s, List<String> notices) throws SQLException {
    try (Connection c = tx()) {
      if (exists(c, s.name(), s.ifNotExists(), notices)) {
        return "CREATE CONNECTION";
      }
      MzStatement.PostgresOptions o = s.options();
      String secretId = null;
      String password = null;
      if (o.passwordSecret() != null) {
        Item secret =
            catalog
                .findItem(c, o.passwordSecret())
                .orElseThrow(() -> unknownItem(o.passwordSecret()));
        requireKind(secret, "secret");
        secretId = secret.id();
        password = secretValue(c, secretId);
      }
      String ca = o.sslCertificateAuthority();
      if (o.sslCertificateAuthoritySecret() != null) {
        Item caSecret =
            catalog
                .findItem(c, o.sslCertificateAuthoritySecret())
                .orElseThrow(() -> unknownItem(o.sslCertificateAuthoritySecret()));
        requireKind(caSecret, "secret");
        ca = secretValue(c, caSecret.id());
      }
      String tunnelId = null;
      if (o.sshTunnel() != null) {
        Item tunnel =
            catalog.findItem(c, o.sshTunnel()).orElseThrow(() -> unknownItem(o.sshTunnel()));
        if (!"ssh-tunnel".equals(tunnel.type())) {
          throw new MzSqlException(
              MzSqlException.INVALID_PARAMETER_VALUE,
              "materialize.public." + tunnel.name() + " is not an SSH TUNNEL CONNECTION");
        }
        tunnelId = tunnel.id();
      }
      String privatelinkId = null;
      if (o.privatelink() != null) {
        Item link =
            catalog.findItem(c, o.privatelink()).orElseThrow(() -> unknownItem(o.privatelink()));
        if (!"aws-privatelink".equals(link.type())) {
          throw new MzSqlException(
              MzSqlException.INVALID_PARAMETER_VALUE,
              "materialize.public." + link.name() + " is not an AWS PRIVATELINK CONNECTION");
        }
        privatelinkId = link.id();
      }
      if (s.validate()) {
        // PostgreSQL connections are validated on create (shared/reference, section 1).
        if (privatelinkId != null) {
          requirePrivatelinkAvailable(c, privatelinkId);
        }
        validator.validateConnection(
            new UpstreamEndpoint(
                    o.host(), o.port(), o.database(), o.user(), password, o.sslMode(), ca)
                .through(tunnelId == null ? null : sshTunnel(c, tunnelId)));
      }
      String id = catalog.nextItemId(c);
      insertConnection(c, id, s.name(), "postgres", s.sql());
      Jdbc.update(
          c,
          "INSERT INTO mz_standin.pg_connections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id,
          o.host(),
          o.port(),
          o.database(),
          o.user(),
          secretId,
          o.sslMode(),
          tunnelId,
          ca);
      if (secretId != null) {
        dependency(c, id, secretId);
      }
      if (tunnelId != null) {
        dependency(c, id, tunnelId);
      }
      if (privatelinkId != null) {
        Jdbc.update(
            c,
            "UPDATE mz_standin.pg_connections SET privatelink_id = ? WHERE id = ?",
            privatelinkId,
            id);
        dependency(c, id, privatelinkId);
      }
      c.commit();
    }
    return "CREATE CONNECTION";
  }

  private String createSshTunnel(MzStatement.CreateSshTunnelConnection s, List<String> notices)
      throws SQLException {
    try (Connection c = tx()) {
      if (exists(c, s.name(), s.ifNotExists(), notices)) {
        return "CREATE CONNECTION";
      }
      String id = catalog.nextItemId(c);
      insertConnection(c, id, s.name(), "ssh-tunnel", s.sql());
      SshKeyPairs keys = SshKeyPairs.generate();
      Jdbc.update(
          c,
          "INSERT INTO mz_catalog.mz_ssh_tunnel_connections VALUES (?, ?, ?)",
          id,
          keys.publicKey1(),
          keys.publicKey2());
      Jdbc.update(
          c,
          "INSERT INTO mz_standin.ssh_tunnel_keys VALUES (?, ?, ?, ?, ?)",
          id,
          keys.publicKey1(),
          keys.privateKey1(),
          keys.publicKey2(),
          keys.privateKey2());
      Jdbc.update(
          c,
          "INSERT INTO mz_standin.pg_connections (id, host, port, username) VALUES (?, ?, ?, ?)",
          id,
          s.host(),
          s.port(),
          s.user());
      c.commit();
    }
    return "CREATE CONNECTION";
  }

  /** The SSH TUNNEL connection {@code id}: its bastion, user and key pairs. */
  static SshTunnelSpec sshTunnel(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pc.host, pc.port, pc.username, k.public_key_1, k.private_key_1,"
                + " k.public_key_2, k.private_key_2 FROM mz_standin.pg_connections pc"
                + " JOIN mz_standin.ssh_tunnel_keys k ON k.id = pc.id WHERE pc.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new SshTunnelSpec(
            id,
            rs.getString(1),
            rs.getInt(2),
            rs.getString(3),
            new SshKeyPairs(rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
      }
    }
  }

  // ---- AWS PrivateLink ----

  /**
   * Materialize's own AWS account connects as this principal; one per connection, of the form
   * {@code arn:aws:iam::664411391173:role/mz_<REGION-ID>_<CONNECTION-ID>} (Materialize docs, CREATE
   * CONNECTION, AWS PrivateLink permissions).
   */
  static final String PRIVATELINK_ACCOUNT = "664411391173";

  private String createPrivatelink(MzStatement.CreatePrivatelinkConnection s, List<String> notices)
      throws SQLException {
    // "The name of the AWS VPC endpoint service, which always starts with com.amazonaws."
    // (Materialize docs, CREATE CONNECTION, AWS PrivateLink syntax).
    if (!s.serviceName().startsWith("com.amazonaws.")) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "invalid AWS PrivateLink SERVICE NAME: " + s.serviceName(),
          null,
          "The service name of a VPC endpoint service starts with com.amazonaws.vpce.<region>.");
    }
    if (new HashSet<>(s.availabilityZones()).size() != s.availabilityZones().size()) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "connection cannot contain duplicate availability zones");
    }
    try (Connection c = tx()) {
      if (exists(c, s.name(), s.ifNotExists(), notices)) {
        return "CREATE CONNECTION";
      }
      String id = catalog.nextItemId(c);
      insertConnection(c, id, s.name(), "aws-privatelink", s.sql());
      String region = Jdbc.string(c, "SELECT id FROM mz_standin.region");
      Jdbc.update(
          c,
          "INSERT INTO mz_catalog.mz_aws_privatelink_connections VALUES (?, ?)",
          id,
          "arn:aws:iam::" + PRIVATELINK_ACCOUNT + ":role/mz_" + region + "_" + id);
      Jdbc.update(
          c,
          "INSERT INTO mz_standin.privatelink_connections VALUES (?, ?,"
              + " array_remove(string_to_array(?, ','), ''))",
          id,
          s.serviceName(),
          String.join(",", s.availabilityZones()));
      c.commit();
    }
    return "CREATE CONNECTION";
  }

  /** Refuses unless the VPC endpoint of AWS PRIVATELINK connection {@code id} is available. */
  private void requirePrivatelinkAvailable(Connection c, String id) throws SQLException {
    String name = Jdbc.string(c, "SELECT name FROM mz_catalog.mz_connections WHERE id = ?", id);
    String principal =
        Jdbc.string(
            c, "SELECT principal FROM mz_catalog.mz_aws_privatelink_connections WHERE id = ?", id);
    String service;
    List<String> zones = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT service_name, availability_zones FROM mz_standin.privatelink_connections"
                + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        service = rs.getString(1);
        for (Object z : (Object[]) rs.getArray(2).getArray()) {
          zones.add((String) z);
        }
      }
    }
    String status = privateLinkEndpoints.endpointStatus(service, principal, zones);
    if (!"available".equals(status)) {
      throw new MzSqlException(
          MzSqlException.CONNECTION_EXCEPTION,
          "AWS PrivateLink connection "
              + name
              + " is not available: the VPC endpoint to "
              + service
              + " is "
              + status,
          null,
          hintFor(status, principal));
    }
  }

  private static String hintFor(String status, String principal) {
    switch (status) {
      case "pending-service-discovery":
        return "Allow the principal "
            + principal
            + " on the VPC endpoint service (its allowed principals), and check the service name.";
      case "pending-acceptance":
        return "Accept the pending endpoint connection request on the VPC endpoint service.";
      case "rejected":
        return "The endpoint connection was rejected on the VPC endpoint service; drop and"
            + " recreate the connection, then accept its request.";
      default:
        return null;
    }
  }

  private void insertConnection(Connection c, String id, String name, String type, String sql)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO mz_catalog.mz_connections VALUES (?, ?, ?, ?, ?, ?, '{u1=U/u1}', ?, ?)",
        id,
        catalog.nextOid(c),
        Catalog.PUBLIC_SCHEMA_ID,
        name,
        type,
        Catalog.OWNER_ID,
        sql,
        sql);
  }

  private String validateConnection(MzStatement.ValidateConnection s) throws SQLException {
    Item item;
    String[] details = null;
    String password = null;
    try (Connection c = catalog.connect()) {
      item = catalog.findItem(c, s.name()).orElseThrow(() -> unknownItem(s.name()));
      requireKind(item, "connection");
      if (!"aws-privatelink".equals(item.type())) {
        details = connectionDetails(c, item.id());
      }
      if (details != null && details[5] != null) {
        password = secretValue(c, details[5]);
      }
    }
    if ("ssh-tunnel".equals(item.type())) {
      SshTunnelSpec tunnel;
      try (Connection c = catalog.connect()) {
        tunnel = sshTunnel(c, item.id());
      }
      SshTunnels.shared().validate(tunnel);
    } else if ("aws-privatelink".equals(item.type())) {
      try (Connection c = catalog.connect()) {
        requirePrivatelinkAvailable(c, item.id());
      }
    } else {
      UpstreamEndpoint endpoint;
      try (Connection c = catalog.connect()) {
        if (details[8] != null) {
          requirePrivatelinkAvailable(c, details[8]);
        }
        endpoint =
            endpoint(details, password)
                .through(details[7] == null ? null : sshTunnel(c, details[7]));
      }
      validator.validateConnection(endpoint);
    }
    return "VALIDATE CONNECTION";
  }

  /**
   * host, port, database, username, ssl_mode, password_secret_id, ssl_ca, ssh_tunnel_id,
   * privatelink_id.
   */
  static String[] connectionDetails(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT host, port::text, database, username, ssl_mode, password_secret_id, ssl_ca,"
                + " ssh_tunnel_id, privatelink_id FROM mz_standin.pg_connections WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new String[] {
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          rs.getString(6),
          rs.getString(7),
          rs.getString(8),
          rs.getString(9)
        };
      }
    }
  }

  private static UpstreamEndpoint endpoint(String[] d, String password) {
    return new UpstreamEndpoint(d[0], Integer.parseInt(d[1]), d[2], d[3], password, d[4], d[6]);
  }

  static String secretValue(Connection c, String secretId) throws SQLException {
    return Jdbc.string(
        c,
        "SELECT convert_from(value, 'UTF8') FROM mz_standin.secret_values WHERE id = ?",
        secretId);
  }

  // ---- sources ----

  /** A subsource or table to create: its name and the upstream table it ingests. */
  private record NewOutput(String name, UpstreamTable table) {}

  private String createSource(MzStatement.CreateSource s, MzSession session, List<String> notices)
      throws SQLException {
    if (s.tables() instanceof TableSpec.None && syntax == SyntaxGeneration.LEGACY_SUBSOURCES) {
      throw new MzSqlException(
          MzSqlException.SYNTAX_ERROR,
          "missing TABLES specification",
          null,
          "provide a FOR TABLES (..), FOR SCHEMAS (..), or FOR ALL TABLES clause");
    }
    String sourceId;
    try (Connection c = tx()) {
      if (exists(c, s.name(), s.ifNotExists(), notices)) {
        return "CREATE SOURCE";
      }
      String clusterName = s.cluster() != null ? s.cluster() : session.cluster();
      Catalog.Cluster cluster =
          catalog.findCluster(c, clusterName).orElseThrow(() -> unknownCluster(clusterName));
      Item conn =
          catalog.findItem(c, s.connection()).orElseThrow(() -> unknownItem(s.connection()));
      requireKind(conn, "connection");
      if (!"postgres".equals(conn.type())) {
        throw new MzSqlException(
            MzSqlException.INVALID_PARAMETER_VALUE,
            "materialize.public." + conn.name() + " is not a POSTGRES CONNECTION");
      }
      String[] details = connectionDetails(c, conn.id());
      String password = details[5] == null ? null : secretValue(c, details[5]);
      UpstreamEndpoint endpoint =
          endpoint(details, password).through(details[7] == null ? null : sshTunnel(c, details[7]));
      List<UpstreamTable> tables =
          validator.validateSource(endpoint, s.publication(), s.tables(), s.textColumns(), true);
      List<NewOutput> outputs = name(tables, s.tables());
      String progressName =
          s.exposeProgressAs() != null ? s.exposeProgressAs() : s.name() + "_progress";
      Set<String> names = new HashSet<>();
      names.add(s.name());
      names.add(progressName);
      for (NewOutput o : outputs) {
        if (!names.add(o.name())) {
          throw new MzSqlException(
              MzSqlException.DUPLICATE_OBJECT, "multiple subsources would be named " + o.name());
        }
      }
      for (String n : names) {
        if (catalog.findItem(c, n).isPresent()) {
          throw itemExists(n);
        }
      }
      sourceId = catalog.nextItemId(c);
      String replicaId = firstReplica(c, cluster.id());
      insertSource(c, sourceId, s.name(), "postgres", conn.id(), cluster.id(), s.sql());
      status(c, sourceId, s.name(), "postgres", replicaId);
      String progressId = catalog.nextItemId(c);
      insertSource(c, progressId, progressName, "progress", null, null, null);
      status(c, progressId, progressName, "progress", replicaId);
      dependency(c, sourceId, conn.id());
      dependency(c, sourceId, progressId);
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE public."
                + Jdbc.quoteIdent(progressName)
                + " (lsn numeric); INSERT INTO public."
                + Jdbc.quoteIdent(progressName)
                + " VALUES (NULL)");
      }
      Jdbc.update(
          c,
          "INSERT INTO mz_internal.mz_postgres_sources VALUES (?, ?, NULL)",
          sourceId,
          slotName());
      Jdbc.update(
          c,
          "INSERT INTO mz_standin.pg_sources SELECT ?, ?, ?, replication_slot, NULL, ? FROM"
              + " mz_internal.mz_postgres_sources WHERE id = ?",
          sourceId,
          conn.id(),
          s.publication(),
          progressId,
          sourceId);
      for (NewOutput o : outputs) {
        addOutput(c, sourceId, s.name(), o, "subsource", replicaId);
      }
      recordReferences(c, sourceId, endpoint, s.publication());
      c.commit();
    }
    ingestions.start(sourceId);
    return "CREATE SOURCE";
  }

  /** Fills mz_source_references: the upstream tables a source can ingest (v26+). */
  private void recordReferences(
      Connection c, String sourceId, UpstreamEndpoint endpoint, String publication)
      throws SQLException {
    List<UpstreamTable> tables = validator.publicationTables(endpoint, publication);
    Jdbc.update(c, "DELETE FROM mz_internal.mz_source_references WHERE source_id = ?", sourceId);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO mz_internal.mz_source_references VALUES (?, ?, ?, now(), ?)")) {
      for (UpstreamTable t : tables) {
        ps.setString(1, sourceId);
        ps.setString(2, t.schema());
        ps.setString(3, t.name());
        ps.setArray(
            4,
            c.createArrayOf(
                "text", t.columns().stream().map(UpstreamTable.Column::name).toArray()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Materialize's slot names: materialize_ followed by 32 hex digits. */
  private static String slotName() {
    return "materialize_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Subsource names: the alias, or the upstream table's name. */
  private static List<NewOutput> name(List<UpstreamTable> tables, TableSpec spec) {
    List<NewOutput> out = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      UpstreamTable t = tables.get(i);
      String name = t.name();
      if (spec instanceof TableSpec.Tables ts && ts.tables().get(i).alias() != null) {
        name = ts.tables().get(i).alias();
      }
      out.add(new NewOutput(name, t));
    }
    return out;
  }

  private void addOutput(
      Connection c, String sourceId, String sourceName, NewOutput o, String kind, String replicaId)
      throws SQLException {
    String id = catalog.nextItemId(c);
    UpstreamTable t = o.table();
    List<String> cols = new ArrayList<>();
    for (UpstreamTable.Column col : t.columns()) {
      cols.add(Jdbc.quoteIdent(col.name()) + " " + col.localType());
    }
    String columns = String.join(", ", cols);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE public." + Jdbc.quoteIdent(o.name()) + " (" + columns + ")");
    }
    if (kind.equals("subsource")) {
      String createSql =
          "CREATE SUBSOURCE materialize.public."
              + Jdbc.quoteIdent(o.name())
              + " ("
              + columns
              + ") OF SOURCE materialize.public."
              + Jdbc.quoteIdent(sourceName)
              + " WITH (EXTERNAL REFERENCE = "
              + Jdbc.quoteIdent(t.schema())
              + "."
              + Jdbc.quoteIdent(t.name())
              + ")";
      insertSource(c, id, o.name(), "subsource", null, null, createSql);
    } else {
      String createSql =
          "CREATE TABLE materialize.public."
              + Jdbc.quoteIdent(o.name())
              + " FROM SOURCE"
              + " materialize.public."
              + Jdbc.quoteIdent(sourceName)
              + " (REFERENCE = "
              + Jdbc.quoteIdent(t.schema())
              + "."
              + Jdbc.quoteIdent(t.name())
              + ")";
      Jdbc.update(
          c,
          "INSERT INTO mz_catalog.mz_tables VALUES (?, ?, ?, ?, '{u1=arwd/u1}', ?, ?, ?, ?)",
          id,
          catalog.nextOid(c),
          Catalog.PUBLIC_SCHEMA_ID,
          o.name(),
          Catalog.OWNER_ID,
          createSql,
          createSql,
          sourceId);
    }
    status(c, id, o.name(), kind.equals("subsource") ? "subsource" : "table", replicaId);
    dependency(c, sourceId, id);
    Jdbc.update(
        c,
        "INSERT INTO mz_standin.pg_outputs VALUES (?, ?, ?, ?, ?, ?, NULL)",
        id,
        sourceId,
        o.name(),
        kind,
        t.schema(),
        t.name());
  }

  private void insertSource(
      Connection c,
      String id,
      String name,
      String type,
      String connectionId,
      String clusterId,
      String sql)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO mz_catalog.mz_sources VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL, ?,"
            + " ?, '{u1=r/u1}', ?, ?)",
        id,
        catalog.nextOid(c),
        Catalog.PUBLIC_SCHEMA_ID,
        name,
        type,
        connectionId,
        type.equals("progress") ? null : "none",
        clusterId,
        Catalog.OWNER_ID,
        sql,
        sql);
  }

  /** New objects start as 'starting' with empty statistics, as in Materialize. */
  private static void status(Connection c, String id, String name, String type, String replicaId)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO mz_internal.mz_source_statuses VALUES (?, ?, ?, now(), 'starting', NULL,"
            + " NULL)",
        id,
        name,
        type);
    Jdbc.update(
        c,
        "INSERT INTO mz_internal.mz_source_status_history VALUES (now(), ?, 'starting', NULL,"
            + " NULL, ?)",
        id,
        replicaId);
    Jdbc.update(
        c,
        "INSERT INTO mz_internal.mz_source_statistics VALUES (?, ?, 0, 0, 0, 0, 0, 0, NULL,"
            + " NULL, NULL, false, NULL, NULL)",
        id,
        replicaId);
  }

  private static String firstReplica(Connection c, String clusterId) throws SQLException {
    return Jdbc.string(
        c,
        "SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = ? ORDER BY name"
            + " LIMIT 1",
        clusterId);
  }

  static void dependency(Connection c, String objectId, String referencedId) throws SQLException {
    Jdbc.update(
        c, "INSERT INTO mz_internal.mz_object_dependencies VALUES (?, ?)", objectId, referencedId);
  }

  private Item requireSource(String name) throws SQLException {
    try (Connection c = catalog.connect()) {
      Item item = catalog.findItem(c, name).orElseThrow(() -> unknownItem(name));
      requireKind(item, "source");
      if (!"postgres".equals(item.type())) {
        throw new MzSqlException(
            MzSqlException.INVALID_PARAMETER_VALUE,
            "materialize.public."
                + name
                + " is a "
                + item.type()
                + " source, not a POSTGRES source");
      }
      return item;
    }
  }

  private String createTableFromSource(MzStatement.CreateTableFromSource s, List<String> notices)
      throws SQLException {
    String sourceId;
    try (Connection c = tx()) {
      if (exists(c, s.name(), s.ifNotExists(), notices)) {
        return "CREATE TABLE";
      }
      sourceId = requireSource(s.source()).id();
      addTables(
          c,
          sourceId,
          s.source(),
          List.of(new TableRef(s.reference().schema(), s.reference().table(), s.name())),
          s.textColumns(),
          "table");
      c.commit();
    }
    ingestions.restart(sourceId);
    return "CREATE TABLE";
  }

  private String alterSourceAdd(MzStatement.AlterSourceAdd s, List<String> notices)
      throws SQLException {
    String sourceId;
    try (Connection c = tx()) {
      Optional<Item> item = catalog.findItem(c, s.source());
      if (item.isEmpty() && s.ifExists()) {
        notices.add("source \"" + s.source() + "\" does not exist, skipping");
        return "ALTER SOURCE";
      }
      sourceId = requireSource(s.source()).id();
      addTables(c, sourceId, s.source(), s.tables(), s.textColumns(), "subsource");
      c.commit();
    }
    ingestions.restart(sourceId);
    return "ALTER SOURCE";
  }

  private void addTables(
      Connection c,
      String sourceId,
      String sourceName,
      List<TableRef> refs,
      List<String> textColumns,
      String kind)
      throws SQLException {
    SourceIngestion.SourceState state = SourceIngestion.load(c, sourceId);
    List<UpstreamTable> tables =
        validator.validateSource(
            state.endpoint(), state.publication(), new TableSpec.Tables(refs), textColumns, false);
    Set<String> already = new HashSet<>();
    for (SourceIngestion.Output o : state.outputs()) {
      already.add(o.upstreamSchema() + "." + o.upstreamTable());
    }
    Set<String> names = new HashSet<>();
    List<NewOutput> outputs = name(tables, new TableSpec.Tables(refs));
    for (NewOutput o : outputs) {
      if (already.contains(o.table().qualified())) {
        throw new MzSqlException(
            MzSqlException.DUPLICATE_OBJECT,
            "multiple subsources refer to table " + o.table().qualified());
      }
      if (!names.add(o.name())) {
        throw new MzSqlException(
            MzSqlException.DUPLICATE_OBJECT, "multiple subsources would be named " + o.name());
      }
      if (catalog.findItem(c, o.name()).isPresent()) {
        throw itemExists(o.name());
      }
    }
    String replicaId = firstReplica(c, catalog.clusterIdForCleanup(c, sourceId));
    for (NewOutput o : outputs) {
      addOutput(c, sourceId, sourceName, o, kind, replicaId);
    }
  }

  private String alterSourceDrop(MzStatement.AlterSourceDropSubsources s, List<String> notices)
      throws SQLException {
    try (Connection c = catalog.connect()) {
      Optional<Item> item = catalog.findItem(c, s.source());
      if (item.isEmpty() && s.ifExists()) {
        notices.add("source \"" + s.source() + "\" does not exist, skipping");
        return "ALTER SOURCE";
      }
    }
    requireSource(s.source());
    drop(new MzStatement.Drop(ObjectKind.SOURCE, s.ifExists(), s.names(), s.cascade()), notices);
    return "ALTER SOURCE";
  }

  // ---- comments ----

  /**
   * One comment per object, replaced by the next COMMENT ON and removed by {@code IS NULL}; kept in
   * {@code mz_internal.mz_comments} with the object's id and type (clusters and items have separate
   * id spaces, so the type is part of the key), and dropped with the object.
   */
  private String comment(MzStatement.Comment s) throws SQLException {
    if (faults.takeCommentDrop()) {
      throw new MzSqlException("08006", "connection closed (injected fault)");
    }
    try (Connection c = tx()) {
      String id;
      String type;
      if (s.kind() == ObjectKind.CLUSTER) {
        Catalog.Cluster cluster =
            catalog.findCluster(c, s.name()).orElseThrow(() -> unknownCluster(s.name()));
        requireUserCluster(cluster, s.name());
        id = cluster.id();
        type = "cluster";
      } else {
        Item item = catalog.findItem(c, s.name()).orElseThrow(() -> unknownItem(s.name()));
        requireKind(item, s.kind().lower());
        id = item.id();
        type = item.kind();
      }
      Jdbc.update(
          c, "DELETE FROM mz_internal.mz_comments WHERE id = ? AND object_type = ?", id, type);
      if (s.comment() != null) {
        Jdbc.update(
            c, "INSERT INTO mz_internal.mz_comments VALUES (?, ?, NULL, ?)", id, type, s.comment());
      }
      c.commit();
    }
    return "COMMENT";
  }

  // ---- DROP ----

  private String drop(MzStatement.Drop s, List<String> notices) throws SQLException {
    String tag = "DROP " + s.kind().name();
    Set<String> dropSources = new java.util.LinkedHashSet<>();
    Set<String> restartSources = new HashSet<>();
    Map<String, UpstreamEndpoint> endpoints = new LinkedHashMap<>();
    Map<String, String> slots = new LinkedHashMap<>();
    try (Connection c = tx()) {
      for (String name : s.names()) {
        if (s.kind() == ObjectKind.CLUSTER) {
          Optional<Catalog.Cluster> cluster = catalog.findCluster(c, name);
          if (cluster.isEmpty()) {
            if (s.ifExists()) {
              notices.add("cluster \"" + name + "\" does not exist, skipping");
              continue;
            }
            throw unknownCluster(name);
          }
          requireUserCluster(cluster.get(), name);
          List<Item> deps = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, name FROM mz_catalog.mz_sources WHERE cluster_id = ? ORDER BY id")) {
            ps.setString(1, cluster.get().id());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                deps.add(new Item(rs.getString(1), rs.getString(2), "source", "postgres"));
              }
            }
          }
          if (!deps.isEmpty() && !s.cascade()) {
            throw new MzSqlException(
                MzSqlException.DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop cluster \"" + name + "\" because other objects depend on it",
                null,
                "Use DROP ... CASCADE to drop the dependent objects too.");
          }
          for (Item d : deps) {
            collectSourceDrop(c, d, dropSources, endpoints, slots);
          }
          Jdbc.update(
              c,
              "DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = ?;"
                  + " DELETE FROM mz_catalog.mz_clusters WHERE id = ?;"
                  + " DELETE FROM mz_internal.mz_comments WHERE id = ? AND object_type ="
                  + " 'cluster'",
              cluster.get().id(),
              cluster.get().id(),
              cluster.get().id());
          continue;
        }
        Optional<Item> found = catalog.findItem(c, name);
        if (found.isEmpty()) {
          if (s.ifExists()) {
            notices.add(s.kind().lower() + " \"" + name + "\" does not exist, skipping");
            continue;
          }
          throw unknownItem(name);
        }
        Item item = found.get();
        requireKind(item, s.kind().lower());
        switch (s.kind()) {
          case SOURCE, TABLE -> {
            if (item.type().equals("progress")) {
              throw MzSqlException.unsupported(
                  "cannot drop progress subsource " + name + " directly; drop its source instead");
            }
            if (item.type().equals("postgres")) {
              List<Item> deps = catalog.dependents(c, item.id());
              if (!deps.isEmpty() && !s.cascade()) {
                throw stillDepended(item, deps.get(0));
              }
              collectSourceDrop(c, item, dropSources, endpoints, slots);
            } else {
              String owner = outputSource(c, item.id());
              if (owner != null) {
                // Stop it first: its open transactions hold locks on the tables we drop.
                ingestions.stop(owner);
                restartSources.add(owner);
              }
              dropOutput(c, item);
            }
          }
          case CONNECTION -> {
            List<Item> deps = catalog.dependents(c, item.id());
            if (!deps.isEmpty() && !s.cascade()) {
              throw stillDepended(item, deps.get(0));
            }
            dropConnection(c, item, dropSources, endpoints, slots);
          }
          case SECRET -> {
            List<Item> deps = catalog.dependents(c, item.id());
            if (!deps.isEmpty() && !s.cascade()) {
              throw stillDepended(item, deps.get(0));
            }
            for (Item d : deps) {
              dropConnection(c, d, dropSources, endpoints, slots);
            }
            deleteById(c, item.id(), "mz_catalog.mz_secrets", "mz_standin.secret_values");
            deleteDependencies(c, item.id());
          }
          default -> throw new IllegalStateException();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      // Nothing was dropped: resume what was stopped on the way.
      dropSources.forEach(ingestions::start);
      restartSources.forEach(ingestions::start);
      throw e;
    }
    for (String id : dropSources) {
      ingestions.dropSlot(endpoints.get(id), slots.get(id));
      restartSources.remove(id);
    }
    restartSources.forEach(ingestions::restart);
    return tag;
  }

  private void dropConnection(
      Connection c,
      Item conn,
      Set<String> dropSources,
      Map<String, UpstreamEndpoint> endpoints,
      Map<String, String> slots)
      throws SQLException {
    for (Item d : catalog.dependents(c, conn.id())) {
      if (d.kind().equals("source")) {
        collectSourceDrop(c, d, dropSources, endpoints, slots);
      } else if (d.kind().equals("connection")) {
        dropConnection(c, d, dropSources, endpoints, slots);
      }
    }
    deleteById(
        c,
        conn.id(),
        "mz_catalog.mz_connections",
        "mz_standin.pg_connections",
        "mz_catalog.mz_ssh_tunnel_connections",
        "mz_standin.ssh_tunnel_keys",
        "mz_catalog.mz_aws_privatelink_connections",
        "mz_standin.privatelink_connections");
    if ("ssh-tunnel".equals(conn.type())) {
      SshTunnels.shared().close(conn.id());
    }
    deleteDependencies(c, conn.id());
  }

  /** Deletes a PostgreSQL source with its progress relation and all its outputs. */
  private void collectSourceDrop(
      Connection c,
      Item source,
      Set<String> dropSources,
      Map<String, UpstreamEndpoint> endpoints,
      Map<String, String> slots)
      throws SQLException {
    if (dropSources.contains(source.id())) {
      return;
    }
    SourceIngestion.SourceState state = SourceIngestion.load(c, source.id());
    if (state == null) {
      return;
    }
    dropSources.add(source.id());
    // Stop ingesting before the tables go away: its open transactions hold locks on them.
    ingestions.stop(source.id());
    endpoints.put(source.id(), state.endpoint());
    slots.put(source.id(), state.slot());
    for (Item d : catalog.dependents(c, source.id())) {
      dropOutput(c, d);
    }
    String progressId;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT progress_table FROM mz_standin.pg_sources WHERE id = ?")) {
      ps.setString(1, source.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        progressId = rs.getString(1);
      }
    }
    if (state.progressTable() != null) {
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS public." + Jdbc.quoteIdent(state.progressTable()));
      }
    }
    Jdbc.update(c, "DELETE FROM mz_internal.mz_source_references WHERE source_id = ?", source.id());
    for (String id : new String[] {progressId, source.id()}) {
      deleteById(
          c,
          id,
          "mz_catalog.mz_sources",
          "mz_internal.mz_source_statuses",
          "mz_internal.mz_source_statistics",
          "mz_internal.mz_postgres_sources",
          "mz_standin.pg_sources");
      deleteDependencies(c, id);
    }
  }

  private void dropOutput(Connection c, Item output) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS public." + Jdbc.quoteIdent(output.name()));
    }
    deleteById(
        c,
        output.id(),
        "mz_catalog.mz_sources",
        "mz_catalog.mz_tables",
        "mz_internal.mz_source_statuses",
        "mz_internal.mz_source_statistics",
        "mz_standin.pg_outputs");
    deleteDependencies(c, output.id());
  }

  private static String outputSource(Connection c, String outputId) throws SQLException {
    return Jdbc.string(c, "SELECT source_id FROM mz_standin.pg_outputs WHERE id = ?", outputId);
  }

  private static void deleteById(Connection c, String id, String... tables) throws SQLException {
    for (String t : tables) {
      Jdbc.update(c, "DELETE FROM " + t + " WHERE id = ?", id);
    }
  }

  private static void deleteDependencies(Connection c, String id) throws SQLException {
    // Every dropped item passes here: its comment goes with it.
    Jdbc.update(
        c, "DELETE FROM mz_internal.mz_comments WHERE id = ? AND object_type <> 'cluster'", id);
    Jdbc.update(
        c,
        "DELETE FROM mz_internal.mz_object_dependencies WHERE object_id = ? OR"
            + " referenced_object_id = ?",
        id,
        id);
  }

  // ---- helpers ----

  private Connection tx() throws SQLException {
    Connection c = catalog.connect();
    c.setAutoCommit(false);
    return c;
  }

  /** IF NOT EXISTS handling shared by the CREATE statements. */
  private boolean exists(Connection c, String name, boolean ifNotExists, List<String> notices)
      throws SQLException {
    if (catalog.findItem(c, name).isEmpty()) {
      return false;
    }
    if (ifNotExists) {
      notices.add("catalog item '" + name + "' already exists, skipping");
      return true;
    }
    throw itemExists(name);
  }

  private static MzSqlException itemExists(String name) {
    return new MzSqlException(
        MzSqlException.DUPLICATE_OBJECT, "catalog item '" + name + "' already exists");
  }

  static MzSqlException unknownItem(String name) {
    return new MzSqlException(
        MzSqlException.UNDEFINED_OBJECT, "unknown catalog item '" + name + "'");
  }

  private static MzSqlException stillDepended(Item item, Item dependent) {
    return new MzSqlException(
        MzSqlException.DEPENDENT_OBJECTS_STILL_EXIST,
        "cannot drop materialize.public."
            + item.name()
            + ": still depended upon by catalog item 'materialize.public."
            + dependent.name()
            + "'",
        null,
        "Use DROP ... CASCADE to drop the dependent objects too.");
  }

  static void requireKind(Item item, String kind) {
    String actual =
        item.kind().equals("source") && item.type().equals("subsource") ? "source" : item.kind();
    if (!actual.equals(kind)) {
      throw new MzSqlException(
          "42809", "materialize.public." + item.name() + " is a " + item.kind() + " not a " + kind);
    }
  }
}
