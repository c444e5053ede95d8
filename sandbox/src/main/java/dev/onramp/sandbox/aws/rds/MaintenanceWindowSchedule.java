package dev.onramp.sandbox.aws.rds;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RDS's PreferredMaintenanceWindow, {@code ddd:hh24:mi-ddd:hh24:mi} in UTC: whether it is open at a
 * given instant. RDS applies pending modifications in it.
 */
final class MaintenanceWindowSchedule {
  private static final Pattern FORMAT =
      Pattern.compile(
          "(mon|tue|wed|thu|fri|sat|sun):(\\d{2}):(\\d{2})-(mon|tue|wed|thu|fri|sat|sun):(\\d{2}):(\\d{2})");
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  private static final int WEEK = 7 * 24 * 60;

  private MaintenanceWindowSchedule() {}

  static boolean valid(String window) {
    Matcher m = matcher(window);
    return m.matches()
        && Integer.parseInt(m.group(2)) < 24
        && Integer.parseInt(m.group(3)) < 60
        && Integer.parseInt(m.group(5)) < 24
        && Integer.parseInt(m.group(6)) < 60;
  }

  static boolean isOpen(String window, Instant now) {
    if (!valid(window)) {
      return false;
    }
    Matcher m = matcher(window);
    m.matches();
    int start = minute(m.group(1), m.group(2), m.group(3));
    int end = minute(m.group(4), m.group(5), m.group(6));
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    int at = (t.getDayOfWeek().getValue() - 1) * 24 * 60 + t.getHour() * 60 + t.getMinute();
    return start <= end ? at >= start && at < end : at >= start || at < end;
  }

  private static Matcher matcher(String window) {
    return FORMAT.matcher(window == null ? "" : window.toLowerCase(Locale.ROOT));
  }

  private static int minute(String day, String hour, String minute) {
    return (DAYS.indexOf(day) * 24 * 60 + Integer.parseInt(hour) * 60 + Integer.parseInt(minute))
        % WEEK;
  }
}
