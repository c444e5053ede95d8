package dev.onramp.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret-leak scan of {@link SecretLeakE2eTest}, for the proof suites: how often any of the
 * secrets occurs in a text, with every quoted base64 string (history payloads) decoded first.
 */
final class SecretScan {
  private static final Pattern BASE64 = Pattern.compile("\"([A-Za-z0-9+/]{8,}={0,2})\"");

  private SecretScan() {}

  /** The environment's passwords: admin (master), replication (if stored yet), Materialize. */
  static Map<String, String> secrets(E2eEnvironment env) {
    String replication;
    try {
      replication = Seed.replicationPassword(env);
    } catch (RuntimeException notStoredYet) {
      replication = null;
    }
    return replication == null
        ? Map.of(
            "admin password",
            env.instance().masterPassword(),
            "Materialize password",
            env.mz.password())
        : Map.of(
            "admin password",
            env.instance().masterPassword(),
            "replication password",
            replication,
            "Materialize password",
            env.mz.password());
  }

  static int occurrences(String text, Map<String, String> secrets) {
    String all = withBase64Decoded(text);
    int n = 0;
    for (String secret : secrets.values()) {
      if (secret == null || secret.length() < 8) {
        throw new IllegalStateException("a secret too short to search for");
      }
      for (int i = all.indexOf(secret); i >= 0; i = all.indexOf(secret, i + 1)) {
        n++;
      }
    }
    return n;
  }

  static String withBase64Decoded(String json) {
    StringBuilder all = new StringBuilder(json);
    Matcher m = BASE64.matcher(json);
    while (m.find()) {
      try {
        all.append('\n')
            .append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException notBase64) {
        // a word that only looks like base64
      }
    }
    return all.toString();
  }
}
