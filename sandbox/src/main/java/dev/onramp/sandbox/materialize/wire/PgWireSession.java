package dev.onramp.sandbox.materialize.wire;

import dev.onramp.sandbox.materialize.MzSession;
import dev.onramp.sandbox.materialize.MzSqlException;
import dev.onramp.sandbox.materialize.sql.MzStatement;
import dev.onramp.sandbox.materialize.sql.Routed;
import dev.onramp.sandbox.materialize.sql.SqlLexer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Materialize statements are executed by the {@link SessionHandler};
 * everything else (plain SELECTs, SET, transaction control) is relayed message by message to a
 * session on the backing PostgreSQL, so the extended query protocol, binary formats and type
 * descriptions come from a real PostgreSQL server.
 */
final class PgWireSession implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(PgWireSession.class);
  private static final int PROTOCOL_3 = 196608;
  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;

  /**
   * Materialize reports this server_version to clients (it speaks the PostgreSQL 9.5 dialect of the
   * protocol); pgjdbc and psql both accept it.
   */
  static final String SERVER_VERSION = "9.5.0";

  /** Startup parameters worth passing to the backing session. */
  private static final Set<String> FORWARDED_OPTIONS =
      Set.of(
          "client_encoding",
          "DateStyle",
          "TimeZone",
          "extra_float_digits",
          "application_name",
          "IntervalStyle");

  private final Socket rawSocket;
  private final int processId;
  private final int secretKey = new SecureRandom().nextInt();
  private final PgWireServer.Settings settings;
  private final SessionHandler handler;
  private final PgWireServer server;

  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private BackendConnection backend;
  private MzSession session;

  /** Statements and portals parsed locally (Materialize statements); the rest live upstream. */
  private final Map<String, MzStatement> localStatements = new HashMap<>();

  private final Map<String, MzStatement> localPortals = new HashMap<>();
  private boolean skipUntilSync;
  private boolean backendUsedSinceSync;
  private char transactionStatus = 'I';

  PgWireSession(
      Socket socket,
      int processId,
      PgWireServer.Settings settings,
      SessionHandler handler,
      PgWireServer server) {
    this.rawSocket = socket;
    this.socket = socket;
    this.processId = processId;
    this.settings = settings;
    this.handler = handler;
    this.server = server;
  }

  int secretKey() {
    return secretKey;
  }

  void cancelBackend() {
    BackendConnection b = backend;
    if (b != null) {
      b.cancel();
    }
  }

  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Override
  public void run() {
    try {
      in = new BufferedInputStream(socket.getInputStream(), 65536);
      out = new BufferedOutputStream(socket.getOutputStream(), 65536);
      if (!startup()) {
        return;
      }
      loop();
    } catch (EOFException e) {
      // client went away
    } catch (IOException e) {
      LOG.debug("session {} ended: {}", processId, e.toString());
    } catch (RuntimeException e) {
      LOG.warn("session {} failed", processId, e);
    } finally {
      close();
    }
  }

  // ---- startup and authentication ----

  private boolean startup() throws IOException {
    while (true) {
      DataInputStream data = new DataInputStream(in);
      int length = data.readInt();
      if (length < 8 || length > 10_000) {
        throw new IOException("invalid startup packet length " + length);
      }
      byte[] body = new byte[length - 4];
      data.readFully(body);
      ByteBuffer buf = ByteBuffer.wrap(body);
      int code = buf.getInt();
      if (code == SSL_REQUEST) {
        if (settings.sslContext() != null && socket == rawSocket) {
          out.write('S');
          out.flush();
          SSLSocket ssl =
              (SSLSocket)
                  settings
                      .sslContext()
                      .getSocketFactory()
                      .createSocket(
                          rawSocket,
                          rawSocket.getInetAddress().getHostAddress(),
                          rawSocket.getPort(),
                          true);
          ssl.setUseClientMode(false);
          ssl.startHandshake();
          socket = ssl;
          in = new BufferedInputStream(ssl.getInputStream(), 65536);
          out = new BufferedOutputStream(ssl.getOutputStream(), 65536);
        } else {
          out.write('N');
          out.flush();
        }
        continue;
      }
      if (code == GSSENC_REQUEST) {
        out.write('N');
        out.flush();
        continue;
      }
      if (code == CANCEL_REQUEST) {
        server.cancel(buf.getInt(), buf.getInt());
        return false;
      }
      if (code != PROTOCOL_3) {
        sendFatal("0A000", "unsupported frontend protocol " + (code >> 16) + "." + (code & 0xffff));
        return false;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (buf.hasRemaining() && buf.get(buf.position()) != 0) {
        String k = PgMessage.cstring(buf);
        String v = PgMessage.cstring(buf);
        params.put(k, v);
      }
      return authenticate(params);
    }
  }

  private boolean authenticate(Map<String, String> params) throws IOException {
    String user = params.getOrDefault("user", "");
    // Cleartext password, as Materialize itself asks for (over TLS when SSL is on).
    PgMessage.builder('R').int32(3).build().writeTo(out);
    out.flush();
    PgMessage m = PgMessage.read(in);
    if (m.kind() != 'p') {
      throw new IOException("expected password message, got " + m.kind());
    }
    String password = PgMessage.cstring(m.buffer());
    boolean ok =
        MessageDigest.isEqual(
                user.getBytes(StandardCharsets.UTF_8),
                settings.user().getBytes(StandardCharsets.UTF_8))
            & MessageDigest.isEqual(
                password.getBytes(StandardCharsets.UTF_8),
                settings.password().getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      sendFatal("28P01", "password authentication failed for user \"" + user + "\"");
      return false;
    }
    Map<String, String> options = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> {
          if (FORWARDED_OPTIONS.contains(k)) {
            options.put(k, v);
          }
        });
    try {
      backend =
          BackendConnection.open(
              settings.backingHost(),
              settings.backingPort(),
              settings.backingUser(),
              settings.backingDatabase(),
              options);
    } catch (IOException e) {
      sendFatal("08006", "Materialize stand-in is unavailable: " + e.getMessage());
      return false;
    }
    session = new MzSession(user, settings.defaultCluster());
    PgMessage.builder('R').int32(0).build().writeTo(out);
    Map<String, String> status = new LinkedHashMap<>(backend.parameters());
    status.put("server_version", SERVER_VERSION);
    status.put("is_superuser", "off");
    status.put("session_authorization", user);
    status.putIfAbsent("integer_datetimes", "on");
    status.putIfAbsent("standard_conforming_strings", "on");
    status.putIfAbsent("client_encoding", "UTF8");
    status.putIfAbsent("DateStyle", "ISO, MDY");
    status.forEach((k, v) -> write(PgMessage.parameterStatus(k, v)));
    PgMessage.builder('K').int32(processId).int32(secretKey).build().writeTo(out);
    write(PgMessage.readyForQuery('I'));
    out.flush();
    return true;
  }

  private void sendFatal(String sqlState, String message) throws IOException {
    PgMessage.error("FATAL", sqlState, message, null, null).writeTo(out);
    out.flush();
  }

  // ---- main loop ----

  private void loop() throws IOException {
    while (true) {
      PgMessage m = PgMessage.read(in);
      char kind = m.kind();
      if (kind == 'X') {
        return;
      }
      if (kind == 'Q') {
        simpleQuery(PgMessage.cstring(m.buffer()));
        continue;
      }
      if (kind == 'S') {
        sync();
        continue;
      }
      if (kind == 'H') {
        out.flush();
        continue;
      }
      if (skipUntilSync) {
        continue;
      }
      try {
        switch (kind) {
          case 'P' -> parse(m);
          case 'B' -> bind(m);
          case 'D' -> describe(m);
          case 'E' -> execute(m);
          case 'C' -> closeMessage(m);
          case 'd', 'c', 'f' -> {
            // COPY data from the client: COPY is not supported, nothing to do.
          }
          default -> throw MzSqlException.unsupported("unsupported message type " + kind);
        }
      } catch (MzSqlException e) {
        writeError(e);
        skipUntilSync = true;
      }
    }
  }

  // ---- simple query protocol ----

  private void simpleQuery(String sql) throws IOException {
    List<String> statements = SqlLexer.split(sql);
    if (statements.isEmpty()) {
      write(PgMessage.builder('I').build());
    }
    for (String stmt : statements) {
      boolean ok;
      try {
        Routed routed = handler.route(stmt, session);
        if (routed instanceof Routed.Local l) {
          runLocal(l.statement());
          ok = true;
        } else if (routed instanceof Routed.Forward f) {
          ok = forwardSimple(f.sql());
        } else {
          write(PgMessage.builder('I').build());
          ok = true;
        }
      } catch (MzSqlException e) {
        writeError(e);
        ok = false;
      }
      if (!ok) {
        break;
      }
    }
    write(PgMessage.readyForQuery(transactionStatus));
    out.flush();
  }

  /** Relays one simple query to the backing server; false if it failed. */
  private boolean forwardSimple(String sql) throws IOException {
    backend.send(PgMessage.builder('Q').cstring(sql).build());
    backend.flush();
    boolean ok = true;
    while (true) {
      PgMessage r = backend.read();
      if (r.kind() == 'Z') {
        transactionStatus = (char) r.payload()[0];
        return ok;
      }
      if (r.kind() == 'E') {
        ok = false;
      }
      write(r);
    }
  }

  private void runLocal(MzStatement statement) throws IOException {
    SessionHandler.Result result = handler.execute(statement, session);
    for (String notice : result.notices()) {
      write(PgMessage.notice(notice));
    }
    write(PgMessage.commandComplete(result.tag()));
  }

  // ---- extended query protocol ----

  private void parse(PgMessage m) throws IOException {
    ByteBuffer buf = m.buffer();
    String name = PgMessage.cstring(buf);
    String sql = PgMessage.cstring(buf);
    Routed routed = handler.route(sql, session);
    if (routed instanceof Routed.Local l) {
      localStatements.put(name, l.statement());
      write(PgMessage.builder('1').build());
    } else if (routed instanceof Routed.Forward f) {
      forwardParse(name, f.sql(), buf);
    } else {
      forwardParse(name, sql, buf);
    }
  }

  private void forwardParse(String name, String sql, ByteBuffer rest) throws IOException {
    localStatements.remove(name);
    byte[] tail = new byte[rest.remaining()];
    rest.get(tail);
    PgMessage rewritten = PgMessage.builder('P').cstring(name).cstring(sql).bytes(tail).build();
    relay(rewritten, Set.of('1'));
  }

  private void bind(PgMessage m) throws IOException {
    ByteBuffer buf = m.buffer();
    String portal = PgMessage.cstring(buf);
    String statement = PgMessage.cstring(buf);
    MzStatement local = localStatements.get(statement);
    if (local != null) {
      localPortals.put(portal, local);
      write(PgMessage.builder('2').build());
      return;
    }
    localPortals.remove(portal);
    relay(m, Set.of('2'));
  }

  private void describe(PgMessage m) throws IOException {
    ByteBuffer buf = m.buffer();
    char what = (char) buf.get();
    String name = PgMessage.cstring(buf);
    if (what == 'S' && localStatements.containsKey(name)) {
      write(PgMessage.builder('t').int16(0).build());
      write(PgMessage.builder('n').build());
      return;
    }
    if (what == 'P' && localPortals.containsKey(name)) {
      write(PgMessage.builder('n').build());
      return;
    }
    // Statement describe answers ParameterDescription first, then RowDescription or NoData.
    relay(m, Set.of('T', 'n'));
  }

  private void execute(PgMessage m) throws IOException {
    String portal = PgMessage.cstring(m.buffer());
    MzStatement local = localPortals.get(portal);
    if (local != null) {
      runLocal(local);
      return;
    }
    relay(m, Set.of('C', 'I', 's'));
  }

  private void closeMessage(PgMessage m) throws IOException {
    ByteBuffer buf = m.buffer();
    char what = (char) buf.get();
    String name = PgMessage.cstring(buf);
    boolean wasLocal =
        what == 'S' ? localStatements.remove(name) != null : localPortals.remove(name) != null;
    if (wasLocal) {
      write(PgMessage.builder('3').build());
      return;
    }
    relay(m, Set.of('3'));
  }

  /**
   * Sends one extended-protocol message to the backing server followed by Flush, and relays its
   * answers to the client until a terminal message arrives. An ErrorResponse ends the exchange and
   * makes both sides discard messages until Sync, as PostgreSQL does.
   */
  private void relay(PgMessage m, Set<Character> terminal) throws IOException {
    backendUsedSinceSync = true;
    backend.send(m);
    backend.send(PgMessage.builder('H').build());
    backend.flush();
    while (true) {
      PgMessage r = backend.read();
      write(r);
      if (r.kind() == 'E') {
        skipUntilSync = true;
        return;
      }
      if (terminal.contains(r.kind())) {
        return;
      }
    }
  }

  private void sync() throws IOException {
    skipUntilSync = false;
    if (backendUsedSinceSync) {
      backendUsedSinceSync = false;
      backend.send(PgMessage.builder('S').build());
      backend.flush();
      while (true) {
        PgMessage r = backend.read();
        if (r.kind() == 'Z') {
          transactionStatus = (char) r.payload()[0];
          break;
        }
        write(r);
      }
    }
    write(PgMessage.readyForQuery(transactionStatus));
    out.flush();
  }

  // ---- output ----

  private void writeError(MzSqlException e) throws IOException {
    write(PgMessage.error("ERROR", e.sqlState(), e.getMessage(), e.detail(), e.hint()));
  }

  private void write(PgMessage m) {
    try {
      m.writeTo(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
