package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Every valid {@link RateLimit} reads back from its text form unchanged. */
class RateLimitTextProperties {
  @Property
  void textFormRoundTrips(@ForAll @LongRange(min = 1, max = RateLimit.MAX_REQUESTS) long requests,
      @ForAll @LongRange(min = 1, max = 86_400) long seconds,
      @ForAll @LongRange(min = 1, max = RateLimit.MAX_REQUESTS) long burst) {
    RateLimit limit = new RateLimit(requests, Duration.ofSeconds(seconds), burst);
    assertThat(RateLimit.parse(limit.toString())).isEqualTo(limit);
  }
}
