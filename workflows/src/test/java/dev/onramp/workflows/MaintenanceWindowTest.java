package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
  private final MaintenanceWindow sunday = MaintenanceWindow.parse("sun:05:00-sun:06:00");

  @Test
  void waitsUntilTheNextStart() {
    // Wednesday 10:00 -> Sunday 05:00 is 3 days 19 hours.
    assertThat(sunday.delayFrom(Instant.parse("2026-11-25T10:00:00Z")))
        .isEqualTo(Duration.ofDays(3).plusHours(19));
  }

  @Test
  void insideTheWindowNoWait() {
    assertThat(sunday.delayFrom(Instant.parse("2026-11-29T05:30:00Z"))).isZero();
  }

  @Test
  void justAfterTheWindowWaitsAWeek() {
    assertThat(sunday.delayFrom(Instant.parse("2026-11-29T06:00:00Z")))
        .isEqualTo(Duration.ofDays(7).minusHours(1));
  }

  @Test
  void windowWrappingPastSundayMidnight() {
    MaintenanceWindow w = MaintenanceWindow.parse("sun:23:30-mon:00:30");
    assertThat(w.delayFrom(Instant.parse("2026-11-30T00:10:00Z"))).isZero(); // Monday 00:10
    assertThat(w.delayFrom(Instant.parse("2026-11-29T23:00:00Z")))
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void malformedWindowIsExplained() {
    assertThatThrownBy(() -> MaintenanceWindow.parse("sunday 5am"))
        .hasMessageContaining("not in the form ddd:hh24:mi-ddd:hh24:mi");
  }

  @Test
  void theNextOpeningSkipsTheWindowThatIsOpenNow() {
    assertThat(sunday.delayToNextOpening(Instant.parse("2026-11-29T05:30:00Z")))
        .isEqualTo(Duration.ofDays(7).minusMinutes(30));
    assertThat(sunday.delayToNextOpening(Instant.parse("2026-11-29T05:00:00Z")))
        .isEqualTo(Duration.ofDays(7));
    assertThat(sunday.delayToNextOpening(Instant.parse("2026-11-25T10:00:00Z")))
        .isEqualTo(Duration.ofDays(3).plusHours(19));
  }
}
