package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The {@link RateLimit} value: its bounds, its text form and the edits that set or remove it. */
class RateLimitValueTest {
  @Test
  void parsesTheTextForm() {
    assertThat(RateLimit.parse("100/1m")).isEqualTo(new RateLimit(100, Duration.ofMinutes(1), 100));
    assertThat(RateLimit.parse(" 10/1s,burst=20 ")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1), 20));
    assertThat(RateLimit.parse("5/h")).isEqualTo(RateLimit.of(5, Duration.ofHours(1)));
    assertThat(RateLimit.parse("1000/1D, burst=5")).isEqualTo(new RateLimit(1000, Duration.ofDays(1), 5));
    assertThat(RateLimit.parse("7/90s")).hasToString("7/90s");
    assertThat(RateLimit.parse("7/120s")).hasToString("7/2m");
    assertThat(new RateLimit(3, Duration.ofHours(2), 9)).hasToString("3/2h,burst=9");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "100", "100/", "/1m", "0/1m", "-1/1m", "100/0s", "100/1w", "100/1.5m", "1e3/1m",
      "100/2d", "100/1m,burst=0", "100/1m,bust=5", "100/1m,burst=", "1000000001/1s", "99999999999/1s",
      "100/99999999999s", "100/1m,burst=1000000001"})
  void refusesAnythingElseWithAClearMessage(String text) {
    assertThatThrownBy(() -> RateLimit.parse(text)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("rate limit");
  }

  @Test
  void validatesItsComponents() {
    assertThatThrownBy(() -> new RateLimit(1, Duration.ofMillis(1500), 1)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> new RateLimit(1, null, 1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new RateLimit(1, Duration.ofDays(1).plusSeconds(1), 1))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> RateLimit.parse(null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void anEditSetsOrRemovesALimitNeverBoth() {
    RateLimit l = RateLimit.parse("1/1s");
    assertThat(TokenEdit.none().editsRateLimit()).isFalse();
    assertThat(TokenEdit.none().rateLimit(l).noRateLimit()).isEqualTo(new TokenEdit(null, null, null, null, null, true));
    assertThat(TokenEdit.none().noRateLimit().rateLimit(l).rateLimit()).isEqualTo(l);
    assertThatThrownBy(() -> new TokenEdit(null, null, null, null, l, true)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new ApiKeyEdit(null, null, null, l, true)).isInstanceOf(InvalidArgumentException.class);
    assertThat(ApiKeyEdit.none().name("x").rateLimit(l).name()).isEqualTo("x");
  }

  @Test
  void aRateLimitedResultRoundsItsRetryAfterUp() {
    TokenRef ref = PrincipalRef.user("acme", "alice").apiKey("k").token("t");
    RateLimit l = RateLimit.parse("1/1s");
    assertThat(new RateLimited(ref, "0123456789abcdef", RateLimited.LimitedBy.TOKEN, l, Duration.ZERO)
        .retryAfterSeconds()).isEqualTo(1);
    assertThat(new RateLimited(ref, "0123456789abcdef", RateLimited.LimitedBy.API_KEY, l, Duration.ofMillis(2001))
        .retryAfterSeconds()).isEqualTo(3);
    assertThat(RateLimited.LimitedBy.API_KEY.policyName()).isEqualTo("key");
  }
}
