package dev.onramp.worker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named bearer tokens the worker accepts. Only SHA-256 digests are kept; a presented token is
 * compared with every one of them in constant time, so neither the position of the first wrong byte
 * nor which name matched shows in the time an answer takes.
 */
public final class ApiTokens {
  /** 32 bytes: as much entropy as {@code openssl rand -base64 32} gives, and a cheap floor. */
  public static final int MIN_TOKEN_BYTES = 32;

  private final Map<String, byte[]> digestsByName;

  private ApiTokens(Map<String, byte[]> digestsByName) {
    this.digestsByName = digestsByName;
  }

  /**
   * Reads {@code auth.tokens} and {@code auth.tokensFile}; throws {@link IllegalArgumentException}
   * naming the key (never the token) when one is malformed, too short or repeated.
   */
  public static ApiTokens from(AuthConfig config) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (config != null && config.tokens != null && !config.tokens.isBlank()) {
      int i = 0;
      for (String entry : config.tokens.split(",")) {
        i++;
        if (entry.isBlank()) {
          continue;
        }
        int colon = entry.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException(
              "auth.tokens (ONRAMP_API_TOKENS): entry "
                  + i
                  + " is not name:token; write name1:token1,name2:token2");
        }
        add(
            out,
            "auth.tokens (ONRAMP_API_TOKENS)",
            entry.substring(0, colon),
            entry.substring(colon + 1));
      }
    }
    if (config != null && config.tokensFile != null && !config.tokensFile.isBlank()) {
      String key = "auth.tokensFile (ONRAMP_API_TOKENS_FILE) " + config.tokensFile;
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(config.tokensFile), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            key + ": cannot read (" + e.getClass().getSimpleName() + ")");
      }
      for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+");
        if (parts.length != 2) {
          throw new IllegalArgumentException(
              key + " line " + (n + 1) + ": is not 'name token' (one pair per line)");
        }
        add(out, key + " line " + (n + 1), parts[0], parts[1]);
      }
    }
    return new ApiTokens(out);
  }

  private static void add(Map<String, byte[]> out, String key, String name, String token) {
    name = name.strip();
    token = token.strip();
    if (!name.matches("[A-Za-z0-9_.@-]{1,64}")) {
      throw new IllegalArgumentException(
          key + ": token name '" + name + "' must be 1-64 letters, digits or _.@-");
    }
    int bytes = token.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < MIN_TOKEN_BYTES) {
      throw new IllegalArgumentException(
          key
              + ": the token named '"
              + name
              + "' is "
              + bytes
              + " bytes; tokens must be at least "
              + MIN_TOKEN_BYTES
              + " bytes (generate one with: openssl rand -base64 32)");
    }
    if (out.putIfAbsent(name, sha256(token)) != null) {
      throw new IllegalArgumentException(key + ": the token name '" + name + "' appears twice");
    }
  }

  public boolean isEmpty() {
    return digestsByName.isEmpty();
  }

  public List<String> names() {
    return new ArrayList<>(digestsByName.keySet());
  }

  /** The name of the token presented, or empty; every configured token is compared. */
  public Optional<String> nameOf(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    String found = null;
    for (Map.Entry<String, byte[]> e : digestsByName.entrySet()) {
      if (MessageDigest.isEqual(digest, e.getValue()) & found == null) {
        found = e.getKey();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
