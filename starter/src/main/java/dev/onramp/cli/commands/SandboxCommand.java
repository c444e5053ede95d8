package dev.onramp.cli.commands;

import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.EmulatorConfig;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.sandbox.start.SandboxEnvFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code onramp sandbox}: the AWS emulator and the Materialize stand-in, in the foreground. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "Run the AWS emulator (RDS, EC2, Secrets Manager; DB instances are real PostgreSQL"
          + " servers) and the Materialize stand-in in the foreground, until Ctrl-C.",
      "State is kept in --state-dir, so a restart resumes where it stopped."
    })
public class SandboxCommand implements Callable<Integer> {
  /** The instance the sandbox serves without --config: Demo's two tables, with rows. */
  public static final String DEFAULT_INSTANCE = "sandbox-db";

  public static final String DEFAULT_DATABASE = "sandbox";

  @Option(
      names = "--state-dir",
      defaultValue = ".onramp/sandbox",
      description = "State directory (default ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--config", description = "Emulator configuration (YAML); see sandbox/README.md.")
  Path config;

  @Option(
      names = "--aws-port",
      defaultValue = "4566",
      description = "AWS endpoint port (default ${DEFAULT-VALUE}).")
  int awsPort;

  @Option(
      names = "--materialize-port",
      defaultValue = "6875",
      description = "Materialize stand-in port (default ${DEFAULT-VALUE}).")
  int mzPort;

  @Option(
      names = "--iam-policy",
      description =
          "Enforce this IAM policy document on every AWS call, as AWS does for the worker's role"
              + " (e.g. iam/onramp-policy.json); calls outside it are refused with AWS's"
              + " access-denied errors.")
  Path iamPolicy;

  @Option(
      names = "--temporal",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Also run a Temporal dev server with its Web UI (the Temporal CLI from PATH or .tools/,"
              + " see scripts/install-tools) unless TEMPORAL_ADDRESS is set; its address goes in"
              + " the env file. --no-temporal: bring your own.")
  boolean temporal;

  @Override
  public Integer call() throws Exception {
    AwsEmulator.Builder builder = AwsEmulator.builder();
    if (iamPolicy != null) {
      builder.iamPolicy(iamPolicy);
    }
    if (config != null) {
      builder.config(EmulatorConfig.read(config));
    } else {
      builder.instance(
          dev.onramp.sandbox.aws.DbInstanceSpec.builder(DEFAULT_INSTANCE)
              .dbName(DEFAULT_DATABASE)
              .publiclyAccessible(true)
              .seedSql(dev.onramp.cli.demo.Demo.SEED.toArray(String[]::new))
              .build());
    }
    // An env file from an earlier run names servers that are not up yet: gone until ready.
    SandboxEnvFile.remove(stateDir);
    builder.stateDir(stateDir.resolve("aws")).port(awsPort);
    AwsEmulator aws = builder.start();
    MaterializeStandIn mz;
    try {
      mz =
          MaterializeStandIn.builder()
              .stateDir(stateDir.resolve("materialize"))
              .port(mzPort)
              .egressCidrs(List.of("127.0.0.1/32"))
              .start();
    } catch (Exception e) {
      aws.close();
      throw e;
    }
    // AWS PRIVATELINK connections come up once the emulator's endpoint service allows them.
    mz.usePrivateLinkEndpoints(aws.endpointServices().endpoints());
    Map<String, String> extra = new LinkedHashMap<>();
    TemporalDevServer devServer;
    try {
      devServer = startTemporal(extra);
    } catch (RuntimeException e) {
      mz.close();
      aws.close();
      throw e;
    }
    // Ctrl-C runs shutdown hooks, not the rest of this method: stop the servers there, so their
    // PostgreSQL processes stop cleanly and the state directory stays consistent.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (devServer != null) {
                    devServer.close();
                  }
                  mz.close();
                  aws.close();
                  stopped.countDown();
                }));
    {
      System.out.println("AWS emulator:  " + aws.endpoint() + "  (region " + aws.region() + ")");
      System.out.println(
          "  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test"
              + " AWS_DEFAULT_REGION="
              + aws.region());
      System.out.println("  aws --endpoint-url " + aws.endpoint() + " rds describe-db-instances");
      for (InstanceInfo i : aws.instances()) {
        System.out.println(
            "  instance "
                + i.id()
                + ": psql 'postgresql://"
                + i.masterUsername()
                + ":"
                + i.masterPassword()
                + "@"
                + i.host()
                + ":"
                + i.port()
                + "/"
                + i.dbName()
                + "?sslmode=require'");
      }
      System.out.println("Materialize stand-in: " + mz.host() + ":" + mz.port());
      System.out.println("  " + mz.psqlCommand());
      Path envFile = SandboxEnvFile.write(stateDir, aws, mz, extra);
      System.out.println(
          "Settings for the worker and the CLI: . "
              + envFile
              + "   (then: ./onramp worker --config config/sandbox.yml)");
      System.out.println("Ctrl-C stops both; state stays in " + stateDir);
      stopped.await();
    }
    return 0;
  }

  /**
   * A Temporal dev server for the worker and the CLI, unless told otherwise; its address (or the
   * one in TEMPORAL_ADDRESS) goes in the env file. Null when none is started here.
   */
  private TemporalDevServer startTemporal(Map<String, String> envFile) throws IOException {
    String given = System.getenv("TEMPORAL_ADDRESS");
    if (given != null && !given.isBlank()) {
      envFile.put("TEMPORAL_ADDRESS", given);
      System.out.println("Temporal: " + given + " (TEMPORAL_ADDRESS)");
      return null;
    }
    if (!temporal) {
      System.out.println(
          "Temporal: not started (--no-temporal); set TEMPORAL_ADDRESS for the worker");
      return null;
    }
    Path cli = temporalCli();
    if (cli == null) {
      System.out.println(
          "Temporal: no Temporal CLI on PATH or in .tools/ (scripts/install-tools installs it);"
              + " start a server yourself and set TEMPORAL_ADDRESS, or the worker expects"
              + " 127.0.0.1:7233");
      return null;
    }
    TemporalDevServer dev =
        TemporalDevServer.start(cli, Files.createDirectories(stateDir.resolve("temporal")), true);
    envFile.put("TEMPORAL_ADDRESS", dev.address());
    System.out.println("Temporal dev server: " + dev.address() + "   Web UI: " + dev.webUi());
    return dev;
  }

  private static Path temporalCli() {
    Path local = Path.of(".tools", "temporal", "bin", "temporal");
    if (Files.isExecutable(local)) {
      return local.toAbsolutePath();
    }
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "temporal");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
