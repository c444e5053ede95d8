package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressCidrGuardTest {
  private final EgressCidrGuard guard = EgressCidrGuard.DEFAULT;

  @Test
  void acceptsNarrowRangesOfBothFamilies() {
    assertThat(guard.check(List.of("52.1.2.3/32", "10.1.2.0/24", "2600:1f18::/48", "2600::1/128")))
        .extracting(EgressCidrGuard.Cidr::ipv6)
        .containsExactly(false, false, true, true);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0/0 | is the whole internet",
        "::/0 | is the whole internet",
        "10.0.0.0/16 | is broader than /24",
        "10.0.0.0/23 | is broader than /24",
        "2600:1f18::/32 | is broader than /48",
        "2600:1f18::/47 | is broader than /48",
        "10.0.0.1 | is not a CIDR",
        "10.0.0.256/32 | is not a valid IPv4 CIDR",
        "10.0.0.1/33 | has a prefix longer than /32",
        "2600:::1/64 | is not a valid IPv6 CIDR",
        "1:2:3:4:5:6:7:8:9/64 | is not a valid IPv6 CIDR",
        "example.com/32 | is not a valid IPv4 CIDR",
      })
  void refusesTheInternetBroadRangesAndJunk(String cidr, String why) {
    ApplicationFailure f =
        catchThrowableOfType(
            () -> guard.check(List.of("52.1.2.3/32", cidr)), ApplicationFailure.class);

    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isEqualTo(OnboardingFailures.SECURITY_GROUP);
    assertThat(f.getOriginalMessage()).contains(cidr).contains(why);
  }

  @Test
  void theLimitsAreConfigurable() {
    EgressCidrGuard loose = new EgressCidrGuard(16, 32);
    assertThat(loose.check("10.0.0.0/16").prefix()).isEqualTo(16);
    assertThat(loose.check("2600:1f18::/32").ipv6()).isTrue();
    assertThat(catchThrowableOfType(() -> loose.check("0.0.0.0/0"), ApplicationFailure.class))
        .isNotNull();
  }
}
