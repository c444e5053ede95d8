package dev.onramp.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onramp.sandbox.aws.ec2.Ec2Service;
import dev.onramp.sandbox.aws.ec2.EndpointServices;
import dev.onramp.sandbox.aws.faults.Fault;
import dev.onramp.sandbox.aws.faults.FaultInjector;
import dev.onramp.sandbox.aws.http.AwsHttpServer;
import dev.onramp.sandbox.aws.http.Ec2QueryHandler;
import dev.onramp.sandbox.aws.http.RdsQueryHandler;
import dev.onramp.sandbox.aws.http.SecretsManagerHandler;
import dev.onramp.sandbox.aws.iam.IamPolicy;
import dev.onramp.sandbox.aws.iam.PolicyEnforcer;
import dev.onramp.sandbox.aws.iam.ResourceArns;
import dev.onramp.sandbox.aws.rds.ClusterService;
import dev.onramp.sandbox.aws.rds.DbInstance;
import dev.onramp.sandbox.aws.rds.RdsService;
import dev.onramp.sandbox.aws.rds.Timings;
import dev.onramp.sandbox.aws.secrets.SecretsService;
import dev.onramp.sandbox.aws.state.StateStore;
import dev.onramp.sandbox.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local AWS: RDS, EC2 and Secrets Manager on one HTTP endpoint, whose DB instances are real
 * PostgreSQL servers. Point the AWS SDK at {@link #endpoint()} with {@code endpointOverride},
 * region {@link #region()} and any static credentials.
 *
 * <pre>{@code
 * try (AwsEmulator aws = AwsEmulator.builder()
 *     .stateDir(dir)
 *     .instance(DbInstanceSpec.builder("orders-db").dbName("orders").build())
 *     .timings(Timings.all(Duration.ofMillis(200)))
 *     .start()) {
 *   RdsClient rds = RdsClient.builder().endpointOverride(aws.endpoint())...;
 *   InstanceInfo db = aws.instance("orders-db");   // host, port, master user and password
 * }
 * }</pre>
 */
public final class AwsEmulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AwsEmulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmulatorContext ctx;
  private final Path stateDir;
  private final boolean deleteStateDirOnClose;
  private final RdsService rds;
  private final SecretsService secrets;
  private final EndpointServices endpointServices;
  private final AwsHttpServer http;
  private final PolicyEnforcer iam;
  private final ScheduledExecutorService roleSync;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private AwsEmulator(Builder b) throws IOException {
    this.deleteStateDirOnClose = b.stateDir == null;
    this.stateDir =
        b.stateDir != null
            ? b.stateDir.toAbsolutePath()
            : Files.createTempDirectory("aws-emulator");
    Files.createDirectories(stateDir);
    StateStore store = new StateStore(stateDir);
    FaultInjector faults = new FaultInjector();
    b.faults.forEach(faults::add);
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(1, daemon("aws-emulator-timer"));
    ExecutorService workers = Executors.newCachedThreadPool(daemon("aws-emulator-worker"));
    this.iam =
        new PolicyEnforcer(b.iamPolicy, "arn:aws:iam::" + b.accountId + ":user/" + b.iamUser);
    this.ctx =
        new EmulatorContext(
            store.load(), store, faults, b.timings, b.region, b.accountId, scheduler, workers);
    Ec2Service ec2 = new Ec2Service(ctx);
    this.endpointServices = new EndpointServices(ctx);
    this.secrets = new SecretsService(ctx);
    this.rds = new RdsService(ctx, ec2, secrets, stateDir);
    ClusterService clusters = new ClusterService(ctx, rds);
    this.shutdownHook = new Thread(rds::stopAll, "aws-emulator-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    if (b.sharedPostgres) {
      rds.shareOneServer();
    }
    try {
      rds.ensureDefaultGroups();
      clusters.ensureDefaultGroups();
      clusters.resumeClusters();
      rds.resumeInstances();
      rds.startMaintenanceWindows();
      for (String sg : b.securityGroups) {
        ec2.create(sg, "Security group " + sg);
      }
      for (DbInstanceSpec spec : b.instances) {
        rds.createInstance(spec);
      }
      for (DbClusterSpec spec : b.clusters) {
        clusters.createCluster(spec);
      }
      this.http =
          new AwsHttpServer(
              b.port,
              new RdsQueryHandler(rds, clusters),
              new Ec2QueryHandler(ec2, endpointServices),
              new SecretsManagerHandler(secrets),
              faults,
              this::instances,
              iam,
              new ResourceArns(b.region, b.accountId, secrets::arnOf, rds::tagsOf));
    } catch (RuntimeException | IOException e) {
      rds.stopAll();
      scheduler.shutdownNow();
      workers.shutdownNow();
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
      throw e;
    }
    this.roleSync = Executors.newSingleThreadScheduledExecutor(daemon("aws-emulator-role-sync"));
    // RDS honours an rds_replication grant at once; the sync closes that gap within 50 ms.
    roleSync.scheduleWithFixedDelay(rds::syncReplicationRoles, 0, 50, TimeUnit.MILLISECONDS);
    http.start();
    LOG.info("AWS emulator listening on {} (state in {})", http.endpoint(), stateDir);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Enforce {@code policy} on every call from now on (null: allow everything), as when someone
   * edits the worker role's policy while runs are going on.
   */
  public AwsEmulator enforceIamPolicy(IamPolicy policy) {
    iam.replace(policy);
    return this;
  }

  /** Tags an instance, as an operator marks the instances onramp may change. */
  public AwsEmulator tagInstance(String id, String key, String value) {
    rds.tagInstance(id, key, value);
    return this;
  }

  /** Sets an instance's AllocatedStorage in GiB (RDS's smallest gp3 volume is 20). */
  public AwsEmulator setAllocatedStorage(String id, int gib) {
    rds.setAllocatedStorage(id, gib);
    return this;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The one endpoint for RDS, EC2 and Secrets Manager, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return http.endpoint();
  }

  public String region() {
    return ctx.region;
  }

  public Path stateDir() {
    return stateDir;
  }

  /**
   * The CA certificate (PEM) of every DB instance's server certificate: the sandbox's stand-in for
   * RDS's {@code global-bundle.pem}, for clients that connect with {@code sslmode=verify-full}.
   */
  public Path caCertificate() {
    return rds.caCertificate();
  }

  /**
   * The VPC endpoint services (PrivateLink) of the emulated account: tests create them here, as the
   * database's owners create theirs, and hand {@link EndpointServices#endpoints()} to the
   * Materialize stand-in.
   */
  public EndpointServices endpointServices() {
    return endpointServices;
  }

  public FaultInjector faults() {
    return ctx.faults;
  }

  /** How to reach instance {@code id}; throws if there is none. */
  public InstanceInfo instance(String id) {
    return instances().stream()
        .filter(i -> i.id().equals(id.toLowerCase()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no DB instance " + id));
  }

  public List<InstanceInfo> instances() {
    List<InstanceInfo> out = new ArrayList<>();
    synchronized (ctx.state) {
      for (DbInstance i : ctx.state.instances.values()) {
        out.add(
            new InstanceInfo(
                i.id,
                "127.0.0.1",
                i.port,
                i.dbName,
                i.masterUsername,
                masterPassword(i),
                i.masterUserSecretArn,
                rds.displayStatus(i),
                i.parameterGroupName,
                i.parameterApplyStatus));
      }
    }
    return out;
  }

  private String masterPassword(DbInstance i) {
    try {
      JsonNode n =
          JSON.readTree(secrets.get(i.masterUserSecretArn, null, null).version().secretString());
      return n.path("password").asText(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The PostgreSQL server behind an instance (for tests that need to look under the hood). */
  public PostgresServer postgres(String id) {
    return rds.serverOf(id.toLowerCase()).postgres();
  }

  /** When each instance rebooted: RebootDBInstance to available again. */
  public dev.onramp.sandbox.aws.rds.RebootLog rebootLog() {
    return rds.rebootLog();
  }

  /** Whether every instance is a database of one shared PostgreSQL server. */
  public boolean sharesOneServer() {
    return rds.sharesOneServer();
  }

  /** Every RDS and EC2 call answered (action, instance, when, status): for benchmarks. */
  public dev.onramp.sandbox.aws.http.ApiCallLog callLog() {
    return http.callLog();
  }

  /** Adds a fault; the same as posting it to {@code /_sandbox/faults}. */
  public AwsEmulator inject(Fault fault) {
    ctx.faults.add(fault);
    return this;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    roleSync.shutdownNow();
    ctx.scheduler.shutdownNow();
    ctx.workers.shutdownNow();
    try {
      ctx.workers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    rds.stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down already
    }
    if (deleteStateDirOnClose) {
      deleteRecursively(stateDir);
    }
    LOG.info("AWS emulator stopped");
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Configures and starts an {@link AwsEmulator}. */
  public static final class Builder {
    private Path stateDir;
    private int port;
    private String region = "us-east-1";
    private String accountId = "123456789012";
    private Timings timings = Timings.defaults();
    private final List<DbInstanceSpec> instances = new ArrayList<>();
    private final List<DbClusterSpec> clusters = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> securityGroups = new ArrayList<>();
    private IamPolicy iamPolicy;
    private String iamUser = "onramp";
    private boolean sharedPostgres;

    private Builder() {}

    /**
     * Enforce this identity-based policy on every call, as AWS does for the worker's IAM user:
     * anything it does not allow is refused with the service's access-denied error.
     */
    public Builder iamPolicy(IamPolicy policy) {
      this.iamPolicy = policy;
      return this;
    }

    /** The policy document in a file (e.g. {@code iam/onramp-policy.json}). */
    public Builder iamPolicy(Path file) {
      try {
        return iamPolicy(IamPolicy.read(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The IAM user name the refusals name; default {@code onramp}. */
    /**
     * Shared-server mode, for fleets of hundreds of instances: every instance is a database of one
     * PostgreSQL server (each needs a DBName of its own) and a reboot restarts nothing; see
     * sandbox/README.md for what differs from one server per instance.
     */
    public Builder sharedPostgres(boolean shared) {
      this.sharedPostgres = shared;
      return this;
    }

    public Builder iamUser(String name) {
      this.iamUser = name;
      return this;
    }

    /** A VPC security group to create at start (instances get their own anyway). */
    public Builder securityGroup(String name) {
      this.securityGroups.add(name);
      return this;
    }

    /** Where state and data directories live; default a temporary directory deleted on close. */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** The HTTP port on 127.0.0.1; default 0, a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder accountId(String accountId) {
      this.accountId = accountId;
      return this;
    }

    public Builder timings(Timings timings) {
      this.timings = timings;
      return this;
    }

    /** An instance to create at start, unless the state directory already has it. */
    public Builder instance(DbInstanceSpec spec) {
      this.instances.add(spec);
      return this;
    }

    /** An Aurora cluster (with its writer and readers) to create at start, unless it exists. */
    public Builder cluster(DbClusterSpec spec) {
      this.clusters.add(spec);
      return this;
    }

    public Builder fault(Fault fault) {
      this.faults.add(fault);
      return this;
    }

    /** Takes everything the config file sets. */
    public Builder config(EmulatorConfig c) {
      if (c.port() != null) {
        port = c.port();
      }
      if (c.stateDir() != null) {
        stateDir = Path.of(c.stateDir());
      }
      if (c.region() != null) {
        region = c.region();
      }
      if (c.accountId() != null) {
        accountId = c.accountId();
      }
      if (c.timings() != null) {
        Timings d = Timings.defaults();
        EmulatorConfig.TimingsConfig t = c.timings();
        timings =
            new Timings(
                t.modifyingMillis() != null
                    ? Duration.ofMillis(t.modifyingMillis())
                    : d.modifying(),
                t.applyingMillis() != null ? Duration.ofMillis(t.applyingMillis()) : d.applying(),
                t.rebootingMillis() != null
                    ? Duration.ofMillis(t.rebootingMillis())
                    : d.rebooting());
      }
      if (c.instances() != null) {
        instances.addAll(c.instances());
      }
      if (c.clusters() != null) {
        clusters.addAll(c.clusters());
      }
      if (c.faults() != null) {
        faults.addAll(c.faults());
      }
      if (c.iamPolicy() != null) {
        iamPolicy(Path.of(c.iamPolicy()));
      }
      return this;
    }

    public AwsEmulator start() {
      try {
        return new AwsEmulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
