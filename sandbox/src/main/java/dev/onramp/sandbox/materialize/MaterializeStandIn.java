package dev.onramp.sandbox.materialize;

import dev.onramp.sandbox.materialize.tunnel.PrivateLinkEndpoints;
import dev.onramp.sandbox.materialize.wire.PgWireServer;
import dev.onramp.sandbox.tls.SandboxCa;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for Materialize that speaks pgwire: stock pgjdbc and psql connect to it, it executes
 * the Materialize statements onramp sends, validates the upstream PostgreSQL for real and ingests
 * from it through a real logical replication slot.
 *
 * <pre>{@code
 * try (MaterializeStandIn mz = MaterializeStandIn.builder()
 *     .stateDir(dir).user("materialize_admin").password("secret")
 *     .egressCidrs(List.of("127.0.0.1/32")).start()) {
 *   DriverManager.getConnection(mz.jdbcUrl(), mz.user(), mz.password());
 * }
 * }</pre>
 */
public final class MaterializeStandIn implements AutoCloseable {

  /** The cluster a new session uses, as in Materialize Cloud. */
  public static final String DEFAULT_CLUSTER = "quickstart";

  /** Materialize's cc sizes (MZ:doc/user/data/cc_m1_mapping.yml) and the legacy names. */
  public static final List<String> DEFAULT_CLUSTER_SIZES =
      List.of(
          "25cc", "50cc", "100cc", "200cc", "300cc", "400cc", "600cc", "800cc", "1200cc", "1600cc",
          "3200cc", "6400cc", "128C", "256C", "512C", "3xsmall", "2xsmall", "xsmall", "small",
          "medium", "large", "xlarge", "2xlarge", "3xlarge");

  /** Everything configurable; see {@link Builder}. */
  public record Config(
      Path stateDir,
      String host,
      int port,
      String user,
      String password,
      boolean ssl,
      List<String> egressCidrs,
      List<Catalog.ClusterSize> clusterSizes,
      String defaultCluster,
      String defaultClusterSize,
      SyntaxGeneration syntax) {
    @Override
    public String toString() {
      return "Config[stateDir="
          + stateDir
          + ", host="
          + host
          + ", port="
          + port
          + ", user="
          + user
          + ", ssl="
          + ssl
          + ", syntax="
          + syntax
          + "]";
    }
  }

  private final Config config;
  private final Faults faults;
  private final BackingPostgres backing;
  private final Catalog catalog;
  private final Ingestions ingestions;
  private final PgWireServer server;
  private final SandboxCa ca;
  private final StatementExecutor executor;

  private MaterializeStandIn(Config config) throws IOException {
    this.config = config;
    this.faults = new Faults();
    this.backing = BackingPostgres.start(config.stateDir());
    try {
      this.catalog = new Catalog(backing);
      catalog.init(config);
      this.ingestions = new Ingestions(catalog, faults);
      this.executor = new StatementExecutor(catalog, ingestions, faults, config.syntax());
      SSLContext ssl = config.ssl() ? sslContext(config.stateDir().resolve("tls")) : null;
      this.ca = config.ssl() ? new SandboxCa(config.stateDir().resolve("tls")) : null;
      this.server =
          new PgWireServer(
              config.host(),
              config.port(),
              new PgWireServer.Settings(
                  config.user(),
                  config.password(),
                  ssl,
                  backing.host(),
                  backing.port(),
                  BackingPostgres.CLIENT_ROLE,
                  BackingPostgres.DATABASE,
                  config.defaultCluster()),
              executor);
      ingestions.startAll();
    } catch (IOException | SQLException | RuntimeException e) {
      backing.close();
      throw e instanceof IOException io ? io : new IOException("cannot start the stand-in", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return config.host();
  }

  public int port() {
    return server.port();
  }

  public String user() {
    return config.user();
  }

  public String password() {
    return config.password();
  }

  public SyntaxGeneration syntax() {
    return config.syntax();
  }

  public boolean ssl() {
    return config.ssl();
  }

  /**
   * The CA certificate (PEM) that verifies the stand-in's server certificate, for clients that
   * connect with {@code sslmode=verify-full} (the worker's Materialize connection); null without
   * {@link Builder#ssl}.
   */
  public Path caCertificate() {
    return ca == null ? null : ca.certificate();
  }

  /** {@code jdbc:postgresql://host:port/materialize}; pass user and password separately. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/materialize";
  }

  /** A psql command line (the password goes in PGPASSWORD). */
  public String psqlCommand() {
    return "PGPASSWORD='"
        + password().replace("'", "'\\''")
        + "' psql \"host="
        + host()
        + " port="
        + port()
        + " user="
        + user()
        + " dbname=materialize"
        + (config.ssl() ? " sslmode=require" : "")
        + "\"";
  }

  public Faults faults() {
    return faults;
  }

  /**
   * Takes a privilege from the user, as an administrator's REVOKE would: {@code "CREATECLUSTER"}
   * (CREATE CLUSTER is refused) or {@code "CREATE ON SCHEMA"} (creating secrets, connections,
   * sources and tables in materialize.public is refused); the {@code mz_internal.mz_show_my_*
   * _privileges} views stop listing it. {@code null} gives every privilege back.
   */
  public void withholdPrivilege(String privilege) {
    try {
      catalog.withholdPrivilege(privilege);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Changes what {@code mz_egress_ips} reports, as when Materialize's egress addresses change. */
  /**
   * Where AWS PRIVATELINK connections learn whether their VPC endpoint is up (in tests: the AWS
   * emulator's endpoint services). Without one, no endpoint service is ever found.
   */
  public void usePrivateLinkEndpoints(PrivateLinkEndpoints endpoints) {
    executor.privateLinkEndpoints(endpoints);
  }

  public void setEgressCidrs(List<String> cidrs) {
    try {
      catalog.setEgressCidrs(cidrs);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sets what {@code mz_internal.mz_cluster_replica_utilization} reports for a cluster. */
  public void setClusterUtilization(
      String cluster, double cpuPercent, double memoryPercent, double diskPercent) {
    try {
      catalog.setUtilization(cluster, cpuPercent, memoryPercent, diskPercent);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    ingestions.close();
    try {
      backing.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A certificate for 127.0.0.1/localhost from the stand-in's own sandbox CA (made once per state
   * directory), so clients can verify the server as they verify Materialize's.
   */
  private static SSLContext sslContext(Path dir) {
    SandboxCa ca = new SandboxCa(dir);
    Path crt = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    ca.issueServerCertificate(crt, key, SandboxCa.LOOPBACK_NAMES);
    return SandboxCa.serverContext(crt, key);
  }

  /** Builds and starts a stand-in. */
  public static final class Builder {
    private Path stateDir;
    private String host = "127.0.0.1";
    private int port;
    private String user = "materialize_admin";
    private String password;
    private boolean ssl;
    private List<String> egressCidrs = List.of("127.0.0.1/32");
    private List<String> clusterSizes = DEFAULT_CLUSTER_SIZES;
    private String defaultClusterSize = "25cc";
    private SyntaxGeneration syntax = SyntaxGeneration.LEGACY_SUBSOURCES;

    /** Where the backing PostgreSQL keeps its data; reuse it to keep catalog and sources. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** Address to bind, 127.0.0.1 by default. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * The password clients must send; if not set, one generated on the first start and kept in the
     * state directory.
     */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** Offer TLS (self-signed certificate); clients with sslmode=prefer or require use it. */
    public Builder ssl(boolean ssl) {
      this.ssl = ssl;
      return this;
    }

    /** The rows of {@code mz_egress_ips}. */
    public Builder egressCidrs(List<String> cidrs) {
      this.egressCidrs = List.copyOf(cidrs);
      return this;
    }

    /** The rows of {@code mz_cluster_replica_sizes} (the sizes CREATE CLUSTER accepts). */
    public Builder clusterSizes(List<String> sizes) {
      this.clusterSizes = List.copyOf(sizes);
      return this;
    }

    /** Size of the {@code quickstart} cluster created on first start. */
    public Builder defaultClusterSize(String size) {
      this.defaultClusterSize = size;
      return this;
    }

    public Builder syntax(SyntaxGeneration syntax) {
      this.syntax = Objects.requireNonNull(syntax);
      return this;
    }

    public MaterializeStandIn start() throws IOException {
      Objects.requireNonNull(stateDir, "stateDir");
      String pw = password == null ? keptPassword(stateDir) : password;
      List<String> sizes = new ArrayList<>(clusterSizes);
      if (!sizes.contains(defaultClusterSize)) {
        sizes.add(defaultClusterSize);
      }
      return new MaterializeStandIn(
          new Config(
              stateDir,
              host,
              port,
              user,
              pw,
              ssl,
              egressCidrs,
              sizes.stream().map(Builder::size).toList(),
              DEFAULT_CLUSTER,
              defaultClusterSize,
              syntax));
    }

    /**
     * The password a stand-in without a given one uses: generated once and kept in {@code
     * <stateDir>/password} (owner-only), so a restart on the same state directory takes the
     * password clients, workers and env files already have, as a Materialize region's app password
     * outlives a restart.
     */
    static String keptPassword(Path stateDir) throws IOException {
      Path file = stateDir.resolve("password");
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file).strip();
        if (!kept.isEmpty()) {
          return kept;
        }
      }
      byte[] random = new byte[12];
      new SecureRandom().nextBytes(random);
      String generated = HexFormat.of().formatHex(random);
      Files.createDirectories(stateDir);
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, generated + "\n");
      return generated;
    }

    /**
     * Illustrative resources per size: cc sizes scale with their number (100cc = 1 credit/hour),
     * legacy names double from 3xsmall (0.25 credits/hour).
     */
    private static Catalog.ClusterSize size(String name) {
      double credits;
      if (name.endsWith("cc")) {
        credits = Double.parseDouble(name.substring(0, name.length() - 2)) / 100.0;
      } else if (name.endsWith("C") && name.substring(0, name.length() - 1).matches("\\d+")) {
        credits = Double.parseDouble(name.substring(0, name.length() - 1));
      } else {
        List<String> legacy =
            List.of(
                "3xsmall", "2xsmall", "xsmall", "small", "medium", "large", "xlarge", "2xlarge",
                "3xlarge", "4xlarge", "5xlarge", "6xlarge");
        int i = legacy.indexOf(name);
        credits = i < 0 ? 1.0 : 0.25 * Math.pow(2, i);
      }
      long memory = (long) (credits * 8L * 1024 * 1024 * 1024);
      int workers = (int) Math.max(1, Math.round(credits * 2));
      return new Catalog.ClusterSize(
          name,
          1,
          workers,
          (long) (credits * 2_000_000_000L),
          memory,
          memory * 4,
          BigDecimal.valueOf(credits));
    }
  }
}
