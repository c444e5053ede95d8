package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.upstream.PreflightReport;
import dev.onramp.activities.upstream.WalSafety;
import org.junit.jupiter.api.Test;

/** The WAL safety rule preflight reports and the flag applies (docs/verification.md). */
class WalSafetyTest {

  @Test
  void noLimitIsUnsafeAndTenPercentOfTheStorageIsRecommended() {
    WalSafety s = WalSafety.of("-1", 20);
    assertThat(s.safe()).isFalse();
    assertThat(s.recommendedMb()).isEqualTo(2048);
    assertThat(s.advice())
        .contains("max_slot_wal_keep_size is -1 (no limit")
        .contains("of 20 GiB allocated storage")
        .contains("recommended 2048 MB (10% of the storage)");
  }

  @Test
  void aLimitUpToHalfTheStorageProtectsTheDiskAndALargerOneDoesNot() {
    assertThat(WalSafety.of("2048", 20).safe()).isTrue();
    assertThat(WalSafety.of("10240", 20).safe()).isTrue();
    WalSafety tooLarge = WalSafety.of("10241", 20);
    assertThat(tooLarge.safe()).isFalse();
    assertThat(tooLarge.advice()).contains("more than half the disk").contains("2048 MB");
  }

  @Test
  void unknownStorageAndOldServersAndOldHistories() {
    assertThat(WalSafety.of("1024", null).safe()).isTrue();
    assertThat(WalSafety.of("-1", null).recommendedMb()).isZero();
    assertThat(WalSafety.of(PreflightReport.NO_WAL_KEEP_SIZE, 20).advice())
        .contains("does not exist before PostgreSQL 13");
    assertThat(WalSafety.of(null, 20)).as("a preflight recorded before it").isNull();
  }

  @Test
  void aNegativeSizeIsRefusedNamingTheField() {
    OnboardingRequest r =
        OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.allTables())
            .withSetMaxSlotWalKeepSizeMb(-5L);
    assertThat(RequestValidator.problems(r))
        .anySatisfy(p -> assertThat(p).startsWith("setMaxSlotWalKeepSizeMb: -5 is negative"));
    assertThat(RequestValidator.problems(r.withSetMaxSlotWalKeepSizeMb(0L))).isEmpty();
  }
}
