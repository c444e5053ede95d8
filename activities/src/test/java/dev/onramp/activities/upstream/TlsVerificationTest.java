package dev.onramp.activities.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MaterializeActivitiesImpl;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import dev.onramp.sandbox.tls.SandboxCa;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SecretRef;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The worker verifies the servers it talks to: the upstream against a CA bundle (RDS's global
 * bundle in production, the sandbox CA here), Materialize against its CA. A server whose
 * certificate comes from another CA is refused at once, non-retryably, with what to configure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsVerificationTest {
  @TempDir static Path dir;
  private RdsLikeUpstream upstream;
  private MaterializeStandIn mz;
  private SandboxCa otherCa;

  @BeforeAll
  void start() throws Exception {
    upstream = RdsLikeUpstream.start(dir.resolve("pg"));
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .password("mz-app-password")
            .ssl(true)
            .egressCidrs(List.of("127.0.0.1/32"))
            .start();
    otherCa = new SandboxCa(dir.resolve("another-ca"));
  }

  @AfterAll
  void stop() {
    if (mz != null) {
      mz.close();
    }
    upstream.close();
  }

  private UpstreamTarget target() {
    return upstream.target(SecretRef.workerConfig("admin"));
  }

  @Test
  void theUpstreamIsVerifiedAgainstItsCa() {
    PgTls tls = upstream.tls();
    assertThat(tls.sslMode()).isEqualTo("verify-full");
    assertThat(
            new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), tls)
                .checkLogicalReplication(target())
                .enabled())
        .isTrue();
  }

  @Test
  void anUpstreamWhoseCertificateIsFromAnotherCaIsRefusedClearly() {
    PgTls wrong = new PgTls("verify-full", otherCa.certificate().toString());
    ApplicationFailure f =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), wrong)
                    .checkLogicalReplication(target()));
    assertThat(f.getType()).isEqualTo(OnboardingFailures.TLS_VERIFICATION);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage())
        .contains("TLS certificate of 127.0.0.1:" + upstream.port() + " did not verify")
        .contains(otherCa.certificate().toString())
        .contains("upstream.sslRootCert")
        .doesNotContain(RdsLikeUpstream.MASTER_PASSWORD);
  }

  /**
   * The right CA, the wrong name: the upstream's certificate names 127.0.0.1 and localhost, and the
   * worker dials 127.0.0.2 (a forwarder to the same server, so the certificate is the same).
   * verify-full checks the name too; the refusal says that the name is what is wrong.
   */
  @Test
  void anUpstreamDialledByANameItsCertificateDoesNotCarryIsRefused() throws Exception {
    try (LoopbackForwarder other = new LoopbackForwarder("127.0.0.2", upstream.port())) {
      UpstreamTarget t = target();
      UpstreamTarget byOtherName =
          new UpstreamTarget(
              t.region(),
              t.dbInstanceId(),
              "127.0.0.2",
              other.port(),
              t.database(),
              t.masterUsername(),
              t.adminCredentials(),
              t.sslMode());
      ApplicationFailure f =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls())
                      .checkLogicalReplication(byOtherName));
      assertThat(f.getType()).isEqualTo(OnboardingFailures.TLS_VERIFICATION);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage())
          .contains("TLS certificate of 127.0.0.2:" + other.port())
          .contains("not for the name dialled")
          .contains("endpoint address")
          .doesNotContain("global-bundle")
          .doesNotContain(RdsLikeUpstream.MASTER_PASSWORD);
      assertThat(other.connections()).as("the forwarder was used").isPositive();
    }
  }

  @Test
  void requireIsAllowedWhenConfiguredButWarns() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      UpstreamActivitiesImpl lax =
          new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), new PgTls("require", null));
      assertThat(lax.checkLogicalReplication(target()).enabled()).isTrue();
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list)
        .anySatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage()).contains("sslmode=require", "not verified");
            });
  }

  @Test
  void anUnreadableCaBundleIsNamedWithItsKey() {
    assertThat(new PgTls("verify-full", dir.resolve("missing.pem").toString()).problem("upstream"))
        .startsWith("upstream.sslRootCert: cannot read the CA bundle ");
    assertThat(PgTls.upstreamDefault().problem("upstream"))
        .contains("global-bundle.pem", "upstream.sslRootCert");
    assertThat(new PgTls("verify-everything", null).problem("materialize"))
        .startsWith("materialize.sslMode: 'verify-everything' is not one of");
    assertThat(upstream.tls().problem("upstream")).isNull();
  }

  @Test
  void materializesConnectionToTheUpstreamVerifiesWithTheGivenCertificateAuthority()
      throws Exception {
    new UpstreamActivitiesImpl(RdsLikeUpstream.resolver(), upstream.tls())
        .ensureUpstreamObjects(
            target(),
            dev.onramp.workflows.TableSelection.allTables(),
            "mz_source",
            RdsLikeUpstream.REPLICATION_USER,
            SecretRef.workerConfig("replication"));
    MaterializeSettings settings =
        new MaterializeSettings(
            mz.host(),
            mz.port(),
            mz.user(),
            mz.password(),
            "materialize",
            "verify-full",
            mz.caCertificate().toString());
    String upstreamCa = Files.readString(Path.of(upstream.tls().rootCert()));
    String otherCaPem = Files.readString(otherCa.certificate());
    int n = 0;
    for (String ca : new String[] {upstreamCa, otherCaPem, null}) {
      MaterializeActivitiesImpl m =
          new MaterializeActivitiesImpl(settings, RdsLikeUpstream.resolver(), ca);
      m.ensureSecret("pw", RdsLikeUpstream.REGION, SecretRef.workerConfig("replication"));
      ConnectionSpec spec =
          new ConnectionSpec(
              "verified_" + n++,
              "127.0.0.1",
              upstream.port(),
              RdsLikeUpstream.DB,
              RdsLikeUpstream.REPLICATION_USER,
              "pw",
              "verify_full",
              null,
              null);
      if (ca == upstreamCa) {
        m.ensureConnection(spec); // validated on create, with verification
        continue;
      }
      // Another CA, or none (Materialize's system CAs): Materialize's TLS error, not retried.
      ApplicationFailure f =
          catchThrowableOfType(ApplicationFailure.class, () -> m.ensureConnection(spec));
      assertThat(f.getType()).isEqualTo(OnboardingFailures.TLS_VERIFICATION);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).contains("certificate verify failed");
    }
  }

  @Test
  void materializeIsVerifiedAgainstItsCaAndRefusedAgainstAnother() {
    MaterializeSettings good =
        new MaterializeSettings(
            mz.host(),
            mz.port(),
            mz.user(),
            mz.password(),
            "materialize",
            "verify-full",
            mz.caCertificate().toString());
    assertThat(new MaterializeActivitiesImpl(good, RdsLikeUpstream.resolver()).describe().version())
        .isNotBlank();

    MaterializeSettings wrong =
        new MaterializeSettings(
            mz.host(),
            mz.port(),
            mz.user(),
            mz.password(),
            "materialize",
            "verify-full",
            otherCa.certificate().toString());
    ApplicationFailure f =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> new MaterializeActivitiesImpl(wrong, RdsLikeUpstream.resolver()).describe());
    assertThat(f.getType()).isEqualTo(OnboardingFailures.TLS_VERIFICATION);
    assertThat(f.getOriginalMessage()).contains("materialize.sslRootCert");

    // With no CA configured the JVM's trust store decides, and it does not know the sandbox CA.
    MaterializeSettings system =
        new MaterializeSettings(
            mz.host(), mz.port(), mz.user(), mz.password(), "materialize", "verify-full");
    assertThat(
            catchThrowableOfType(
                    ApplicationFailure.class,
                    () ->
                        new MaterializeActivitiesImpl(system, RdsLikeUpstream.resolver())
                            .describe())
                .getType())
        .isEqualTo(OnboardingFailures.TLS_VERIFICATION);
  }

  /** Accepts on {@code host} and pipes each connection to 127.0.0.1:{@code port}. */
  static final class LoopbackForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    LoopbackForwarder(String host, int port) throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getByName(host));
      Thread accept =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket in = server.accept();
                    connections.incrementAndGet();
                    Socket out = new Socket("127.0.0.1", port);
                    pipe(in, out);
                    pipe(out, in);
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              },
              "forwarder-accept");
      accept.setDaemon(true);
      accept.start();
    }

    private static void pipe(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (from;
                    to) {
                  from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                  // one side closed
                }
              },
              "forwarder-pipe");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
