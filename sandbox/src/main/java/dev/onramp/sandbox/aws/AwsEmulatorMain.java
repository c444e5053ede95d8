package dev.onramp.sandbox.aws;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the AWS emulator in the foreground: {@code AwsEmulatorMain [config.yaml|config.json]}.
 * Without a config file it serves one instance, {@code sandbox-db}, on port 4566 with state in
 * {@code .onramp/sandbox}. Prints the endpoint, the instances and how to reach them with psql and
 * the AWS CLI. Stop it with Ctrl-C; state is kept for the next start.
 */
public final class AwsEmulatorMain {
  private AwsEmulatorMain() {}

  public static void main(String[] args) throws Exception {
    quietLogs();
    AwsEmulator.Builder builder = AwsEmulator.builder();
    if (args.length > 0) {
      builder.config(EmulatorConfig.read(Path.of(args[0])));
      EmulatorConfig c = EmulatorConfig.read(Path.of(args[0]));
      if (c.port() == null) {
        builder.port(4566);
      }
      if (c.stateDir() == null) {
        builder.stateDir(Path.of(".onramp", "sandbox"));
      }
    } else {
      builder
          .port(4566)
          .stateDir(Path.of(".onramp", "sandbox"))
          .instance(DbInstanceSpec.builder("sandbox-db").dbName("sandbox").build());
    }
    AwsEmulator aws = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  aws.close();
                  stopped.countDown();
                }));
    System.out.println(banner(aws));
    stopped.await();
  }

  /** INFO for the emulator, WARN for libraries (logback's default would print DEBUG). */
  private static void quietLogs() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext context) {
      context
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.WARN);
      context.getLogger("dev.onramp").setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  static String banner(AwsEmulator aws) {
    String endpoint = aws.endpoint().toString();
    StringBuilder sb = new StringBuilder();
    sb.append("\nonramp AWS emulator (RDS, EC2, Secrets Manager)\n");
    sb.append("  endpoint:  ").append(endpoint).append('\n');
    sb.append("  region:    ").append(aws.region()).append('\n');
    sb.append("  state dir: ").append(aws.stateDir()).append("\n\n");
    sb.append("AWS CLI (any credentials will do):\n");
    sb.append("  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=")
        .append(aws.region())
        .append('\n');
    sb.append("  aws --endpoint-url ").append(endpoint).append(" rds describe-db-instances\n");
    sb.append("  aws --endpoint-url ").append(endpoint).append(" ec2 describe-security-groups\n\n");
    for (InstanceInfo i : aws.instances()) {
      sb.append("DB instance ").append(i.id()).append(" (").append(i.status()).append(")\n");
      sb.append("  endpoint:  ").append(i.host()).append(':').append(i.port()).append('\n');
      sb.append("  database:  ").append(i.dbName()).append('\n');
      sb.append("  master:    ").append(i.masterUsername()).append('\n');
      sb.append("  secret:    ").append(i.masterUserSecretArn()).append('\n');
      // Deliberately printed: this is a local sandbox and the user needs it to connect.
      sb.append("  psql:      PGPASSWORD='")
          .append(i.masterPassword())
          .append("' psql \"host=")
          .append(i.host())
          .append(" port=")
          .append(i.port())
          .append(" dbname=")
          .append(i.dbName())
          .append(" user=")
          .append(i.masterUsername())
          .append(" sslmode=require\"\n");
      sb.append("  password:  aws --endpoint-url ")
          .append(endpoint)
          .append(" secretsmanager get-secret-value --secret-id '")
          .append(i.masterUserSecretArn())
          .append("'\n\n");
    }
    sb.append("Faults: curl -X POST ")
        .append(endpoint)
        .append(
            "/_sandbox/faults -d '{\"type\":\"throttle\",\"operation\":\"DescribeDBInstances\",\"count\":3}'\n");
    return sb.toString();
  }
}
