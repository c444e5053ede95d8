package dev.onramp.e2e;

import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.worker.ProductionActivities;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.workflows.client.TemporalConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A worker in its own JVM, so a test can kill it with SIGKILL mid-onboarding. Arguments: Temporal
 * address, task queue, AWS endpoint, Materialize host, port, user, SSL mode, Materialize CA (or
 * empty), the upstream CA (the emulator's); the Materialize password comes from the environment
 * (MZ_PASSWORD), as in production. Both connections verify the server (verify-full).
 */
public final class WorkerProcess {
  public static void main(String[] args) throws Exception {
    System.setProperty("aws.accessKeyId", "e2e");
    System.setProperty("aws.secretAccessKey", "e2e");
    TemporalConnection temporal = TemporalConnection.open(args[0], "default", null, false, null);
    ProductionActivities activities =
        new ProductionActivities(
            new AwsSettings(URI.create(args[2]), Duration.ofSeconds(30), 8),
            new MaterializeSettings(
                args[3],
                Integer.parseInt(args[4]),
                args[5],
                System.getenv("MZ_PASSWORD"),
                "materialize",
                args[6],
                args[7].isEmpty() ? null : args[7]),
            new PgTls("verify-full", args[8]),
            Map.of(),
            temporal.client(),
            args[1]);
    TemporalWorker worker =
        new TemporalWorker(
            temporal.client(), args[1], activities.implementations(), Duration.ofSeconds(5));
    worker.start();
    System.out.println("worker ready");
    System.out.flush();
    Thread.currentThread().join();
  }
}
