package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Expiration;
import dev.latchkey.Limits;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ValuesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void durations() {
    assertThat(Values.duration("90d")).isEqualTo(Duration.ofDays(90));
    assertThat(Values.duration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(Values.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Values.duration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Values.duration("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(Values.duration("1d12h")).isEqualTo(Duration.ofHours(36));
    assertThat(Values.duration("PT12H")).isEqualTo(Duration.ofHours(12));
    assertThat(Values.duration("P90D")).isEqualTo(Duration.ofDays(90));
    assertThat(Values.duration("0")).isEqualTo(Duration.ZERO);
    for (String bad : new String[] {"", "5x", "-5m", "PT-5M", "5", "d", "1.5h", "99999999999d", "P", "ten minutes"}) {
      assertThatThrownBy(() -> Values.duration(bad)).as(bad).isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("90d");
    }
    assertThatThrownBy(() -> Values.positiveDuration("0")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void expiries() {
    Limits limits = Limits.defaults();
    // a calendar date is valid through that day: it expires at the start of the next one
    assertThat(resolve("2027-01-31", limits)).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
    assertThat(resolve("01/31/2027", limits)).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
    assertThat(resolve("1/5/2027", limits)).isEqualTo(Instant.parse("2027-01-06T00:00:00Z"));
    assertThat(resolve("2027-01-31T12:30:00Z", limits)).isEqualTo(Instant.parse("2027-01-31T12:30:00Z"));
    assertThat(resolve("2027-01-31T12:30:00+02:00", limits)).isEqualTo(Instant.parse("2027-01-31T10:30:00Z"));
    assertThat(resolve("90d", limits)).isEqualTo(NOW.plus(Duration.ofDays(90)));
    assertThat(resolve("PT12H", limits)).isEqualTo(NOW.plus(Duration.ofHours(12)));
    assertThat(Values.expiry("never").in(ZoneOffset.UTC)).isEqualTo(Expiration.never());
    assertThat(resolve("never", limits.withoutMaxTokenLifetime())).isNull();
  }

  @Test
  void aDateEndsInTheGivenZoneDaylightSavingIncluded() {
    Values.Expiry day = Values.expiry("12/31/2026");
    assertThat(day.in(ZoneId.of("America/New_York")).resolve(NOW, null, Limits.defaults()))
        .isEqualTo(Instant.parse("2027-01-01T05:00:00Z"));
    // Berlin is on summer time (UTC+2) on 07/31
    assertThat(Values.expiry("2026-07-31").in(ZoneId.of("Europe/Berlin")).resolve(NOW, null,
        Limits.defaults())).isEqualTo(Instant.parse("2026-07-31T22:00:00Z"));
    // the instant forms ignore the zone
    assertThat(Values.expiry("2027-01-31T12:30:00Z").in(ZoneId.of("Asia/Tokyo")))
        .isEqualTo(Expiration.at(Instant.parse("2027-01-31T12:30:00Z")));
  }

  @Test
  void badExpiriesSayWhatToWrite() {
    assertThatThrownBy(() -> Values.expiry("31/01/2027")).hasMessageContaining("mm/dd/yyyy");
    assertThatThrownBy(() -> Values.expiry("01/31/27")).hasMessageContaining("mm/dd/yyyy");
    assertThatThrownBy(() -> Values.expiry("02/29/2027")).hasMessageContaining("not a valid date");
    assertThatThrownBy(() -> Values.expiry("2027-13-45")).hasMessageContaining("not a valid date");
    assertThatThrownBy(() -> Values.expiry("2027-01-31T10:00")).hasMessageContaining("time zone");
    assertThatThrownBy(() -> Values.expiry("tomorrow")).hasMessageContaining("never");
    assertThatThrownBy(() -> Values.expiry("0")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> Values.zone("Mars/Olympus", "--zone")).isInstanceOf(UsageException.class)
        .hasMessageContaining("Europe/Berlin");
  }

  @Test
  void principalsOfOneType() {
    assertThat(Values.principalOfType("acme/alice", PrincipalType.USER)).isEqualTo(PrincipalRef.user("acme", "alice"));
    assertThat(Values.principalOfType("acme/user/alice", PrincipalType.USER)).isEqualTo(PrincipalRef.user("acme", "alice"));
    assertThat(Values.principalOfType("acme/sa/bot", PrincipalType.SERVICE_ACCOUNT))
        .isEqualTo(PrincipalRef.serviceAccount("acme", "bot"));
    assertThatThrownBy(() -> Values.principalOfType("acme/sa/bot", PrincipalType.USER))
        .isInstanceOf(UsageException.class).hasMessageContaining("acme/alice");
    assertThatThrownBy(() -> Values.principalOfType("acme", PrincipalType.USER)).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> Values.principalOfType("acme/bad-id", PrincipalType.USER))
        .isInstanceOf(UsageException.class).hasMessageContaining("user id");
  }

  @Test
  void humanDurations() {
    assertThat(Output.duration(Duration.ofDays(90))).isEqualTo("90d");
    assertThat(Output.duration(Duration.ofHours(12))).isEqualTo("12h");
    assertThat(Output.duration(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Output.duration(Duration.ofSeconds(61))).isEqualTo("61s");
    assertThat(Output.duration(Duration.ZERO)).isEqualTo("0");
  }

  @Test
  void durationsInSentencesReadAsWords() {
    assertThat(Output.words(Duration.ofHours(8760))).isEqualTo("365 days");
    assertThat(Output.words(Duration.ofDays(1))).isEqualTo("1 day");
    assertThat(Output.words(Duration.ofHours(36))).isEqualTo("1 day 12 hours");
    assertThat(Output.words(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
    assertThat(Output.words(Duration.ofSeconds(61))).isEqualTo("1 minute 1 second");
    assertThat(Output.words(Duration.ofMillis(1500))).isEqualTo("1 second 500 milliseconds");
    assertThat(Output.words(Duration.ofNanos(10))).isEqualTo("1 millisecond");
    assertThat(Output.words(Duration.ZERO)).isEqualTo("0 seconds");
    assertThat(Output.words(Duration.ofDays(-2))).isEqualTo("minus 2 days");
    assertThat(Output.words(null)).isEqualTo("none");
  }

  private static @Nullable Instant resolve(String text, Limits limits) {
    return Values.expiry(text).in(ZoneOffset.UTC).resolve(NOW, null, limits);
  }
}
