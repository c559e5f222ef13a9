package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Expiration;
import dev.latchkey.Limits;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void durationsReadAsWords() {
    assertThat(Durations.human(Duration.ofHours(8760))).isEqualTo("365 days");
    assertThat(Durations.human(Duration.ofDays(1))).isEqualTo("1 day");
    assertThat(Durations.human(Duration.ofHours(36))).isEqualTo("1 day 12 hours");
    assertThat(Durations.human(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
    assertThat(Durations.human(Duration.ofSeconds(61))).isEqualTo("1 minute 1 second");
    assertThat(Durations.human(Duration.ofMillis(1500))).isEqualTo("1 second 500 milliseconds");
    assertThat(Durations.human(Duration.ofNanos(10))).isEqualTo("1 millisecond");
    assertThat(Durations.human(Duration.ZERO)).isEqualTo("0 seconds");
    assertThat(Durations.human(Duration.ofDays(-2))).isEqualTo("minus 2 days");
  }

  @Test
  void expiryMessagesUseWordsNotIso8601() {
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    Limits limits = Limits.defaults();
    assertThatThrownBy(() -> Expiration.after(Duration.ofDays(400)).resolve(now, null, limits))
        .hasMessageContaining("maximum token lifetime of 365 days").hasMessageNotContaining("PT");
    assertThatThrownBy(() -> Expiration.never().resolve(now, null, limits))
        .hasMessageContaining("365 days").hasMessageNotContaining("PT");
    assertThatThrownBy(() -> Expiration.at(now.minusSeconds(1)).resolve(now, null, limits))
        .hasMessageContaining("must be in the future").hasMessageContaining("is in the past");
  }
}
