package dev.onramp.sandbox.materialize.wire;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts PostgreSQL protocol 3.0 connections and runs one {@link PgWireSession} per client on its
 * own thread.
 */
public final class PgWireServer implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(PgWireServer.class);

  /** Everything a session needs to know about the server. */
  public record Settings(
      String user,
      String password,
      SSLContext sslContext,
      String backingHost,
      int backingPort,
      String backingUser,
      String backingDatabase,
      String defaultCluster) {}

  private final ServerSocket serverSocket;
  private final Settings settings;
  private final SessionHandler handler;
  private final ExecutorService threads;
  private final Map<Integer, PgWireSession> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger nextProcessId = new AtomicInteger(1000);
  private volatile boolean closed;

  public PgWireServer(String bindHost, int port, Settings settings, SessionHandler handler)
      throws IOException {
    this.settings = settings;
    this.handler = handler;
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 64);
    AtomicInteger threadNo = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "mz-pgwire-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
        int pid = nextProcessId.incrementAndGet();
        PgWireSession session = new PgWireSession(socket, pid, settings, handler, this);
        sessions.put(pid, session);
        threads.execute(
            () -> {
              try {
                session.run();
              } finally {
                sessions.remove(pid);
              }
            });
      } catch (SocketException e) {
        if (!closed) {
          LOG.warn("accept failed", e);
        }
      } catch (IOException e) {
        LOG.warn("accept failed", e);
      }
    }
  }

  void cancel(int processId, int secretKey) {
    PgWireSession s = sessions.get(processId);
    if (s != null && s.secretKey() == secretKey) {
      s.cancelBackend();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sessions.values().forEach(PgWireSession::close);
    threads.shutdownNow();
  }
}
