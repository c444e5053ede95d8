package dev.onramp.sandbox.materialize.tunnel;

import dev.onramp.sandbox.materialize.MzSqlException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * The stand-in's SSH client: it opens SSH TUNNEL connections to bastions for real (MINA SSHD) and
 * forwards PostgreSQL connections through them, as Materialize does. One client for the JVM; one
 * session and one local forward per (tunnel, upstream host, port), reopened when the bastion drops
 * the session.
 *
 * <p>Error texts follow Materialize's: its tunnel runs OpenSSH, so a failure reads {@code failed to
 * connect to the remote host: } followed by ssh's own words (shared/reference/materialize.md;
 * OpenSSH's messages for an unknown host, a refused connection and a refused key).
 */
public final class SshTunnels {

  private static final SshTunnels SHARED = new SshTunnels();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final SshClient client;
  private final Map<String, Forward> forwards = new ConcurrentHashMap<>();

  private record Forward(ClientSession session, InetSocketAddress local) {}

  private SshTunnels() {
    client = SshClient.setUpDefaultClient();
    // Materialize does not pin the bastion's host key (it accepts what the bastion presents).
    client.setServerKeyVerifier((session, address, key) -> true);
    client.start();
  }

  public static SshTunnels shared() {
    return SHARED;
  }

  /** VALIDATE CONNECTION of an SSH TUNNEL connection: connect and authenticate, then close. */
  public void validate(SshTunnelSpec tunnel) {
    try (ClientSession session = open(tunnel)) {
      session.close(false);
    } catch (IOException e) {
      throw new MzSqlException(
          MzSqlException.CONNECTION_EXCEPTION, "failed to connect to the remote host: " + e);
    }
  }

  /**
   * A local address whose connections reach {@code host:port} from the bastion (a local port
   * forward, {@code ssh -L}), opening the tunnel when there is none yet or the old one closed.
   */
  public synchronized InetSocketAddress forward(SshTunnelSpec tunnel, String host, int port) {
    String key = tunnel.id() + "|" + tunnel.host() + ":" + tunnel.port() + "|" + host + ":" + port;
    Forward existing = forwards.get(key);
    if (existing != null && existing.session().isOpen()) {
      return existing.local();
    }
    try {
      ClientSession session = open(tunnel);
      SshdSocketAddress bound =
          session.startLocalPortForwarding(
              new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
      InetSocketAddress local = new InetSocketAddress("127.0.0.1", bound.getPort());
      forwards.put(key, new Forward(session, local));
      return local;
    } catch (IOException e) {
      throw new MzSqlException(
          MzSqlException.CONNECTION_EXCEPTION,
          "error connecting to server: failed to connect to the remote host: " + e);
    }
  }

  /** Closes the tunnels of one connection (it was dropped). */
  public synchronized void close(String tunnelId) {
    forwards
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().startsWith(tunnelId + "|")) {
                e.getValue().session().close(true);
                return true;
              }
              return false;
            });
  }

  private ClientSession open(SshTunnelSpec tunnel) throws SshFailure {
    String who = tunnel.user() + "@" + tunnel.host();
    try {
      InetAddress.getByName(tunnel.host());
    } catch (UnknownHostException e) {
      throw new SshFailure(
          "ssh: Could not resolve hostname " + tunnel.host() + ": Name or service not known");
    }
    ClientSession session;
    try {
      session =
          client.connect(tunnel.user(), tunnel.host(), tunnel.port()).verify(TIMEOUT).getSession();
    } catch (IOException e) {
      throw new SshFailure(
          "ssh: connect to host "
              + tunnel.host()
              + " port "
              + tunnel.port()
              + ": "
              + (cause(e, ConnectException.class)
                  ? "Connection refused"
                  : cause(e, SocketTimeoutException.class)
                      ? "Connection timed out"
                      : String.valueOf(e.getMessage())));
    }
    try {
      session.addPublicKeyIdentity(tunnel.keys().primary());
      session.auth().verify(TIMEOUT);
      return session;
    } catch (IOException e) {
      session.close(true);
      if (e instanceof SshException && String.valueOf(e.getMessage()).contains("No more")) {
        throw new SshFailure(who + ": Permission denied (publickey).");
      }
      throw new SshFailure(who + ": " + e.getMessage());
    }
  }

  private static boolean cause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** ssh's own words for why the tunnel did not open. */
  private static final class SshFailure extends IOException {
    SshFailure(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
