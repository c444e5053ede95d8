package dev.onramp.activities.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MaterializeActivitiesImpl;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import dev.onramp.workflows.SqlIdentifiers;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database name is a request value; written as a quoted identifier it may hold {@code ?&=/%#}. In
 * a JDBC URL such a name could name another host ({@code shop?PGHOST=...}) and the worker would
 * send the admin password there. A loopback listener stands where the hostile name points; it must
 * see no connection from the worker's upstream connection, its Materialize connection, or the
 * Materialize stand-in validating a connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileDatabaseNameTest {
  @TempDir static Path dir;
  private RdsLikeUpstream upstream;
  private MaterializeStandIn mz;
  private ServerSocket listener;
  private final AtomicInteger connections = new AtomicInteger();

  @BeforeAll
  void start() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                  connections.incrementAndGet();
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "hostile-listener");
    t.setDaemon(true);
    t.start();
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .password("mz-app-password")
            .egressCidrs(List.of("127.0.0.1/32"))
            .clusterSizes(List.of("25cc"))
            .start();
  }

  @AfterAll
  void stop() throws IOException {
    listener.close();
    if (mz != null) {
      mz.close();
    }
    upstream.close();
  }

  /** Database names (as values) that would steer a connection built as URL text. */
  private List<String> hostileNames() {
    int port = listener.getLocalPort();
    List<String> names =
        List.of(
            "shop?PGHOST=127.0.0.1&PGPORT=" + port + "&x=",
            "shop?host=127.0.0.1&port=" + port + "&sslmode=disable#",
            "x/%2F?PGPORT=" + port + "&PGHOST=localhost",
            "shop&PGHOST=127.0.0.1&PGPORT=" + port + "?=/%#");
    // Each is a valid quoted identifier: the validator lets it through, so it must be harmless.
    for (String name : names) {
      assertThat(SqlIdentifiers.parseIdentifier(SqlIdentifiers.quote(name))).isEqualTo(name);
    }
    return names;
  }

  @Test
  void theUpstreamConnectionGoesOnlyToTheInstanceEndpoint() {
    UpstreamActivitiesImpl activities =
        new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls());
    for (String name : hostileNames()) {
      UpstreamTarget target =
          new UpstreamTarget(
              RdsLikeUpstream.REGION,
              RdsLikeUpstream.INSTANCE,
              "127.0.0.1",
              upstream.port(),
              name,
              RdsLikeUpstream.MASTER,
              SecretRef.workerConfig("admin"),
              "require");
      ApplicationFailure f =
          catchThrowableOfType(
              ApplicationFailure.class, () -> activities.checkLogicalReplication(target));
      // The instance itself answered: no such database.
      assertThat(f.getType()).isEqualTo(OnboardingFailures.INVALID_REQUEST);
      assertThat(f.getOriginalMessage()).contains("does not exist");
    }
    assertThat(connections.get()).as("connections to the listener").isZero();
  }

  @Test
  void theMaterializeConnectionAndTheStandInsValidationStayOnTheirHosts() {
    for (String name : hostileNames()) {
      // The worker's own Materialize settings, with a hostile database name.
      catchThrowable(
          () ->
              new MaterializeActivitiesImpl(
                      new MaterializeSettings(
                          mz.host(), mz.port(), mz.user(), mz.password(), name, "prefer"),
                      RdsLikeUpstream.resolver())
                  .describe());
      // A Materialize connection whose DATABASE is hostile: the stand-in validates it by
      // connecting to the upstream, as Materialize does.
      MaterializeActivitiesImpl m =
          new MaterializeActivitiesImpl(
              new MaterializeSettings(
                  mz.host(), mz.port(), mz.user(), mz.password(), "materialize", "prefer"),
              RdsLikeUpstream.resolver());
      m.ensureSecret("pw", RdsLikeUpstream.REGION, SecretRef.workerConfig("replication"));
      Throwable t =
          catchThrowable(
              () ->
                  m.ensureConnection(
                      new ConnectionSpec(
                          "c_" + Math.abs(name.hashCode()),
                          "127.0.0.1",
                          upstream.port(),
                          name,
                          RdsLikeUpstream.REPLICATION_USER,
                          "pw",
                          "require",
                          null,
                          null)));
      assertThat(t).isInstanceOf(ApplicationFailure.class);
    }
    assertThat(connections.get()).as("connections to the listener").isZero();
  }
}
