package dev.onramp.workflows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** History JSON with every base64 payload decoded and appended, so a search sees the values. */
public final class PayloadText {
  private static final Pattern DATA = Pattern.compile("\"data\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"");

  private PayloadText() {}

  public static String decoded(String historyJson) {
    StringBuilder all = new StringBuilder(historyJson);
    Matcher m = DATA.matcher(historyJson);
    while (m.find()) {
      all.append('\n')
          .append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
    }
    return all.toString();
  }
}
