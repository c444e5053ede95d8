package dev.onramp.workflows;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RDS preferred maintenance window, {@code ddd:hh24:mi-ddd:hh24:mi} in UTC (e.g. {@code
 * sun:05:00-sun:06:00}), as DescribeDBInstances reports it.
 */
public record MaintenanceWindow(int startMinuteOfWeek, int endMinuteOfWeek, String text) {
  private static final Pattern FORMAT =
      Pattern.compile("(\\w{3}):(\\d{2}):(\\d{2})-(\\w{3}):(\\d{2}):(\\d{2})");
  private static final int MINUTES_PER_WEEK = 7 * 24 * 60;

  public static MaintenanceWindow parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "maintenance window '" + text + "' is not in the form ddd:hh24:mi-ddd:hh24:mi");
    }
    return new MaintenanceWindow(
        minuteOfWeek(m.group(1), m.group(2), m.group(3)),
        minuteOfWeek(m.group(4), m.group(5), m.group(6)),
        text);
  }

  /** How long from {@code now} until the window is open: zero while it is open. */
  public Duration delayFrom(Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    int nowMinute = (t.getDayOfWeek().getValue() - 1) * 24 * 60 + t.getHour() * 60 + t.getMinute();
    if (isOpenAt(nowMinute)) {
      return Duration.ZERO;
    }
    int minutes = Math.floorMod(startMinuteOfWeek - nowMinute, MINUTES_PER_WEEK);
    // Count from the start of the current minute, so the timer fires at hh:mm:00 exactly.
    Instant minuteStart = now.truncatedTo(ChronoUnit.MINUTES);
    return Duration.between(now, minuteStart.plus(Duration.ofMinutes(minutes)));
  }

  /**
   * How long from {@code now} until the window opens again: the next opening strictly after the
   * current one, when the window is open now (that window already had its reboot).
   */
  public Duration delayToNextOpening(Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    int nowMinute = (t.getDayOfWeek().getValue() - 1) * 24 * 60 + t.getHour() * 60 + t.getMinute();
    int minutes = Math.floorMod(startMinuteOfWeek - nowMinute, MINUTES_PER_WEEK);
    if (minutes == 0) {
      minutes = MINUTES_PER_WEEK;
    }
    Instant minuteStart = now.truncatedTo(ChronoUnit.MINUTES);
    return Duration.between(now, minuteStart.plus(Duration.ofMinutes(minutes)));
  }

  private boolean isOpenAt(int minute) {
    return startMinuteOfWeek <= endMinuteOfWeek
        ? minute >= startMinuteOfWeek && minute < endMinuteOfWeek
        : minute >= startMinuteOfWeek || minute < endMinuteOfWeek; // wraps past Sunday midnight
  }

  private static int minuteOfWeek(String day, String hour, String minute) {
    int h = Integer.parseInt(hour);
    int mi = Integer.parseInt(minute);
    if (h > 23 || mi > 59) {
      throw new IllegalArgumentException("maintenance window time " + hour + ":" + minute);
    }
    return (dayOfWeek(day).getValue() - 1) * 24 * 60 + h * 60 + mi;
  }

  private static DayOfWeek dayOfWeek(String d) {
    for (DayOfWeek dow : DayOfWeek.values()) {
      if (dow.name().toLowerCase(Locale.ROOT).startsWith(d)) {
        return dow;
      }
    }
    throw new IllegalArgumentException("maintenance window day '" + d + "'");
  }
}
