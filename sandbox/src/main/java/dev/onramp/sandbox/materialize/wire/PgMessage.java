package dev.onramp.sandbox.materialize.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One PostgreSQL protocol 3.0 message: a type byte and its payload (without the length word).
 * Messages relayed from the backing PostgreSQL are kept as raw bytes, so nothing is lost in
 * transit.
 */
public record PgMessage(byte type, byte[] payload) {

  static final int MAX_LENGTH = 64 * 1024 * 1024;

  public char kind() {
    return (char) type;
  }

  public static PgMessage read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed");
    }
    DataInputStream data = new DataInputStream(in);
    int length = data.readInt();
    if (length < 4 || length > MAX_LENGTH) {
      throw new IOException("invalid message length " + length);
    }
    byte[] payload = new byte[length - 4];
    data.readFully(payload);
    return new PgMessage((byte) type, payload);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(type);
    int length = payload.length + 4;
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(payload);
  }

  public ByteBuffer buffer() {
    return ByteBuffer.wrap(payload);
  }

  /** Reads a NUL-terminated UTF-8 string from the buffer. */
  public static String cstring(ByteBuffer buf) {
    int start = buf.position();
    int end = start;
    while (buf.get(end) != 0) {
      end++;
    }
    String s =
        new String(buf.array(), buf.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
    buf.position(end + 1);
    return s;
  }

  /** Builds message payloads. */
  public static final class Builder {
    private final byte type;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    public Builder(char type) {
      this.type = (byte) type;
    }

    public Builder int32(int v) {
      bytes.write(v >>> 24);
      bytes.write(v >>> 16);
      bytes.write(v >>> 8);
      bytes.write(v);
      return this;
    }

    public Builder int16(int v) {
      bytes.write(v >>> 8);
      bytes.write(v);
      return this;
    }

    public Builder byte1(int v) {
      bytes.write(v);
      return this;
    }

    public Builder cstring(String s) {
      bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      bytes.write(0);
      return this;
    }

    public Builder bytes(byte[] b) {
      bytes.writeBytes(b);
      return this;
    }

    public PgMessage build() {
      return new PgMessage(type, bytes.toByteArray());
    }
  }

  public static Builder builder(char type) {
    return new Builder(type);
  }

  // Frequently used server messages.

  public static PgMessage readyForQuery(char status) {
    return builder('Z').byte1(status).build();
  }

  public static PgMessage commandComplete(String tag) {
    return builder('C').cstring(tag).build();
  }

  public static PgMessage parameterStatus(String name, String value) {
    return builder('S').cstring(name).cstring(value).build();
  }

  public static PgMessage error(
      String severity, String sqlState, String message, String detail, String hint) {
    Builder b = builder('E');
    b.byte1('S').cstring(severity).byte1('V').cstring(severity);
    b.byte1('C').cstring(sqlState).byte1('M').cstring(message);
    if (detail != null) {
      b.byte1('D').cstring(detail);
    }
    if (hint != null) {
      b.byte1('H').cstring(hint);
    }
    return b.byte1(0).build();
  }

  public static PgMessage notice(String message) {
    return builder('N')
        .byte1('S')
        .cstring("NOTICE")
        .byte1('V')
        .cstring("NOTICE")
        .byte1('C')
        .cstring("00000")
        .byte1('M')
        .cstring(message)
        .byte1(0)
        .build();
  }
}
