package dev.onramp.cli.commands;

import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.EmulatorConfig;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import java.nio.file.Path;
import java.util.List;
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
          dev.onramp.sandbox.aws.DbInstanceSpec.builder("sandbox-db")
              .dbName("sandbox")
              .publiclyAccessible(true)
              .build());
    }
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
    // Ctrl-C runs shutdown hooks, not the rest of this method: stop the servers there, so their
    // PostgreSQL processes stop cleanly and the state directory stays consistent.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
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
      System.out.println(
          "Worker settings: ONRAMP_AWS_ENDPOINT="
              + aws.endpoint()
              + " MZ_HOST="
              + mz.host()
              + " MZ_PORT="
              + mz.port()
              + " MZ_USER="
              + mz.user()
              + " MZ_PASSWORD=<above> MZ_SSLMODE="
              + (mz.ssl() ? "verify-full MZ_SSLROOTCERT=" + mz.caCertificate() : "disable")
              + " ONRAMP_UPSTREAM_SSLROOTCERT="
              + aws.caCertificate());
      System.out.println("Ctrl-C stops both; state stays in " + stateDir);
      stopped.await();
    }
    return 0;
  }
}
