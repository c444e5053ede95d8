package dev.onramp.workflows.client;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts every payload (workflow inputs, results, activity arguments, query answers) with
 * AES-256-GCM before it reaches Temporal, so the server and its history hold ciphertext only. The
 * Web UI reads them through the worker's codec endpoint. Payloads encrypted under another key, or
 * tampered with, fail to decode rather than decode wrongly. A payload without this codec's encoding
 * is refused on decode too: with a key set, a signal or update sent in plaintext (say from the Web
 * UI without the codec endpoint) must not steer a run. Runs started before the key was set
 * therefore cannot be resumed under it; let them finish first. Only {@link #forDisplay()}, the view
 * the codec endpoint serves to the Web UI, passes plaintext through: it shows data, it feeds no
 * workflow. Decode failures are {@link DataConverterException}s: the SDK drops a signal whose
 * arguments fail to convert (logging it) and rejects such an update, where any other exception
 * would fail the workflow task on every replay and leave the run stuck.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  static final String ENCODING = "binary/encrypted";
  static final String KEY_ID = "encryption-key-id";
  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final String keyId;
  private final boolean plaintextPassesThrough;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(byte[] key) {
    this(key, false);
  }

  private AesGcmPayloadCodec(byte[] key, boolean plaintextPassesThrough) {
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "the payload key must be 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)");
    }
    this.key = new SecretKeySpec(key, "AES");
    this.keyId = keyId(key);
    this.plaintextPassesThrough = plaintextPassesThrough;
  }

  private AesGcmPayloadCodec(AesGcmPayloadCodec strict) {
    this.key = strict.key;
    this.keyId = strict.keyId;
    this.plaintextPassesThrough = true;
  }

  /**
   * The same key, but a payload that is not encrypted decodes to itself: for showing histories (the
   * Web UI asks to decode every payload it shows, search attributes included), never for a data
   * converter.
   */
  public AesGcmPayloadCodec forDisplay() {
    return new AesGcmPayloadCodec(this);
  }

  /** From ONRAMP_PAYLOAD_KEY (base64 of 32 bytes), or null when it is unset. */
  public static AesGcmPayloadCodec fromEnvironment() {
    return fromBase64(System.getenv("ONRAMP_PAYLOAD_KEY"));
  }

  /** From base64 of 32 bytes, or null when blank; errors name ONRAMP_PAYLOAD_KEY, not the key. */
  public static AesGcmPayloadCodec fromBase64(String b64) {
    if (b64 == null || b64.isBlank()) {
      return null;
    }
    try {
      return new AesGcmPayloadCodec(Base64.getDecoder().decode(b64.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ONRAMP_PAYLOAD_KEY: " + e.getMessage(), e);
    }
  }

  /** A fingerprint of the key, stored with each payload, that does not reveal the key. */
  static String keyId(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload p : payloads) {
      out.add(encrypt(p));
    }
    return out;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload p : payloads) {
      out.add(decrypt(p));
    }
    return out;
  }

  private Payload encrypt(Payload plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance(CIPHER);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = c.doFinal(plain.toByteArray());
      byte[] data = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, data, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, data, NONCE_BYTES, sealed.length);
      return Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFrom(ENCODING, StandardCharsets.UTF_8))
          .putMetadata(KEY_ID, ByteString.copyFrom(keyId, StandardCharsets.UTF_8))
          .setData(ByteString.copyFrom(data))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }

  private Payload decrypt(Payload p) {
    ByteString encoding = p.getMetadataMap().get("encoding");
    if (encoding == null || !ENCODING.equals(encoding.toStringUtf8())) {
      if (plaintextPassesThrough) {
        return p;
      }
      throw new DataConverterException(
          "refused a payload that is not encrypted (encoding "
              + (encoding == null ? "none" : encoding.toStringUtf8())
              + ") while ONRAMP_PAYLOAD_KEY is set: send it through a client or codec"
              + " endpoint that encrypts with the same key");
    }
    ByteString id = p.getMetadataMap().get(KEY_ID);
    if (id == null || !keyId.equals(id.toStringUtf8())) {
      throw new DataConverterException(
          "payload was encrypted with key "
              + (id == null ? "?" : id.toStringUtf8())
              + ", not the configured "
              + keyId
              + "; set ONRAMP_PAYLOAD_KEY to the key it was written with");
    }
    byte[] data = p.getData().toByteArray();
    try {
      Cipher c = Cipher.getInstance(CIPHER);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      return Payload.parseFrom(c.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (GeneralSecurityException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new DataConverterException("payload failed to decrypt (tampered or truncated)", e);
    }
  }
}
