package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spi.ExpiryNoticeLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link ExpiryNoticeLog}, skipped for stores without it: a notice is claimed once, also
 * under a race, per lookup id, expiry and threshold; pruning forgets past expiries.
 */
@ContractGroup.Requires(ContractGroup.Capability.EXPIRY_NOTICES)
abstract class ExpiryNoticesContract extends ContractGroup {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration DAY = Duration.ofDays(1);
  private static final Instant EXPIRY = T0.plus(Duration.ofDays(10));

  private ExpiryNoticeLog log() {
    return store.expiryNoticeLog().orElseThrow();
  }

  @Test
  void aNoticeIsClaimedOncePerLookupIdExpiryAndThreshold() {
    assertThat(log().claim("AAAAAAAAAAAAAAAA", EXPIRY, WEEK, T0)).isTrue();
    assertThat(log().claim("AAAAAAAAAAAAAAAA", EXPIRY, WEEK, T0.plusSeconds(1))).isFalse();
    assertThat(log().claim("AAAAAAAAAAAAAAAA", EXPIRY, DAY, T0)).as("another threshold").isTrue();
    assertThat(log().claim("AAAAAAAAAAAAAAAA", EXPIRY.plusNanos(1), WEEK, T0)).as("another expiry").isTrue();
    assertThat(log().claim("aAAAAAAAAAAAAAAA", EXPIRY, WEEK, T0)).as("another token (case-sensitive)").isTrue();
    assertThat(log().claimed("AAAAAAAAAAAAAAAA", EXPIRY)).containsExactlyInAnyOrder(WEEK, DAY);
    assertThat(log().claimed("AAAAAAAAAAAAAAAA", EXPIRY.plusNanos(1))).containsExactly(WEEK);
    assertThat(log().claimed("BBBBBBBBBBBBBBBB", EXPIRY)).isEmpty();
  }

  @Test
  void ofConcurrentClaimsOfOneNoticeExactlyOneWins() throws Exception {
    for (int round = 0; round < 5; round++) {
      Instant expiry = EXPIRY.plusSeconds(round);
      List<Boolean> won = Race.race(8, i -> log().claim("CCCCCCCCCCCCCCCC", expiry, DAY, T0));
      assertThat(won).as("round " + round).containsOnlyOnce(true);
    }
  }

  @Test
  void pruningForgetsNoticesOfExpiriesBeforeTheCutoff() {
    log().claim("AAAAAAAAAAAAAAAA", EXPIRY, WEEK, T0);
    log().claim("BBBBBBBBBBBBBBBB", EXPIRY.plusSeconds(1), WEEK, T0);
    assertThat(log().pruneBefore(EXPIRY.plusNanos(1))).isEqualTo(1);
    assertThat(log().claimed("AAAAAAAAAAAAAAAA", EXPIRY)).isEmpty();
    assertThat(log().claimed("BBBBBBBBBBBBBBBB", EXPIRY.plusSeconds(1))).containsExactly(WEEK);
    assertThat(log().claim("AAAAAAAAAAAAAAAA", EXPIRY, WEEK, T0)).as("claimable again once pruned").isTrue();
  }
}
