package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationsTest {
  @Test
  void readsAsPeopleWriteIt() {
    assertThat(HumanDurations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(HumanDurations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(HumanDurations.format(Duration.ofHours(24))).isEqualTo("24h");
    assertThat(HumanDurations.format(Duration.ofDays(2))).isEqualTo("2d");
    assertThat(HumanDurations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(HumanDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
  }
}
