package dev.onramp.workflows;

import java.time.Duration;

/** Durations as people write them in messages: 30s, 10m, 3h, 1d, 1h30m. */
public final class HumanDurations {
  private HumanDurations() {}

  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    if (s % 86_400 == 0 && s >= 2 * 86_400) {
      return s / 86_400 + "d";
    }
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    if (s % 60 != 0) {
      out.append(s % 60).append('s');
    }
    return out.toString();
  }
}
