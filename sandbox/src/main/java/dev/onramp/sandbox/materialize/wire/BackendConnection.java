package dev.onramp.sandbox.materialize.wire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A protocol-level client connection to the backing PostgreSQL. Plain SELECTs (catalog relations
 * and subsources) are relayed over it message by message, so the backing server does all type
 * encoding, text and binary alike.
 */
public final class BackendConnection implements Closeable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final String host;
  private final int port;
  private int processId;
  private int secretKey;

  private BackendConnection(Socket socket, String host, int port) throws IOException {
    this.socket = socket;
    this.host = host;
    this.port = port;
    this.in = new BufferedInputStream(socket.getInputStream(), 65536);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
  }

  /**
   * Opens a session on the backing server. The backing server trusts local connections (it only
   * listens on 127.0.0.1), so no password exchange is needed.
   */
  public static BackendConnection open(
      String host, int port, String user, String database, Map<String, String> options)
      throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    BackendConnection c = new BackendConnection(socket, host, port);
    try {
      c.startup(user, database, options);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startup(String user, String database, Map<String, String> options)
      throws IOException {
    PgMessage.Builder b = PgMessage.builder('?').int32(196608);
    b.cstring("user").cstring(user).cstring("database").cstring(database);
    for (Map.Entry<String, String> e : options.entrySet()) {
      b.cstring(e.getKey()).cstring(e.getValue());
    }
    b.byte1(0);
    byte[] body = b.build().payload();
    int len = body.length + 4;
    out.write(
        new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
    out.write(body);
    out.flush();
    while (true) {
      PgMessage m = PgMessage.read(in);
      switch (m.kind()) {
        case 'R' -> {
          int code = m.buffer().getInt();
          if (code != 0) {
            throw new IOException("backing PostgreSQL asked for authentication method " + code);
          }
        }
        case 'S' -> {
          ByteBuffer buf = m.buffer();
          parameters.put(PgMessage.cstring(buf), PgMessage.cstring(buf));
        }
        case 'K' -> {
          ByteBuffer buf = m.buffer();
          processId = buf.getInt();
          secretKey = buf.getInt();
        }
        case 'E' ->
            throw new IOException("backing PostgreSQL refused the session: " + errorText(m));
        case 'Z' -> {
          return;
        }
        default -> {
          // NoticeResponse and the like: ignore during startup.
        }
      }
    }
  }

  public Map<String, String> parameters() {
    return parameters;
  }

  public void send(PgMessage m) throws IOException {
    m.writeTo(out);
  }

  public void flush() throws IOException {
    out.flush();
  }

  public PgMessage read() throws IOException {
    return PgMessage.read(in);
  }

  /** Sends a CancelRequest for this session's current query on a new connection. */
  public void cancel() {
    try (Socket s = new Socket(host, port)) {
      OutputStream o = s.getOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(16);
      buf.putInt(16).putInt(80877102).putInt(processId).putInt(secretKey);
      o.write(buf.array());
      o.flush();
      s.getInputStream().read();
    } catch (IOException ignored) {
      // Best effort, as in libpq.
    }
  }

  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        PgMessage.builder('X').build().writeTo(out);
        out.flush();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Extracts the message field of an ErrorResponse or NoticeResponse. */
  public static String errorText(PgMessage m) {
    ByteBuffer buf = m.buffer();
    while (buf.hasRemaining()) {
      byte field = buf.get();
      if (field == 0) {
        break;
      }
      String value = PgMessage.cstring(buf);
      if (field == 'M') {
        return value;
      }
    }
    return "(no message)";
  }
}
