package dev.latchkey;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A rate limit on an API key or a token: a token bucket that holds up to {@code burst} requests and
 * refills at {@code requests} per {@code per}, continuously (a request every {@code per / requests}).
 * Each key and each token with a limit has a bucket of its own, per node; a verification passes only
 * if every bucket that applies (the token's, then its key's) has a request left. Enforcing limits
 * needs Bucket4j on the class path ({@code com.bucket4j:bucket4j_jdk17-core}).
 *
 * <p>Text form ({@link #parse}, {@link #toString}): {@code 100/1m} or {@code 100/1m,burst=150}, with
 * the period in whole seconds ({@code s}), minutes ({@code m}), hours ({@code h}) or days ({@code d}).
 *
 * @param requests how many requests are added to the bucket each {@code per}: 1 to {@value #MAX_REQUESTS}
 * @param per the refill period: whole seconds, 1 second to 1 day
 * @param burst how many requests the bucket holds (and a new bucket starts with): 1 to {@value
 *     #MAX_REQUESTS}; {@link #of} makes it equal to {@code requests}
 */
public record RateLimit(long requests, Duration per, long burst) {
  /** The most requests per period, and the largest burst. */
  public static final long MAX_REQUESTS = 1_000_000_000L;
  /** The longest refill period. */
  public static final Duration MAX_PERIOD = Duration.ofDays(1);

  public RateLimit {
    if (requests < 1 || requests > MAX_REQUESTS) {
      throw new InvalidArgumentException("a rate limit's requests must be 1 to " + MAX_REQUESTS + " (was " + requests + ")");
    }
    if (per == null || per.getNano() != 0 || per.compareTo(Duration.ofSeconds(1)) < 0 || per.compareTo(MAX_PERIOD) > 0) {
      throw new InvalidArgumentException("a rate limit's period must be whole seconds, 1 second to 1 day");
    }
    if (burst < 1 || burst > MAX_REQUESTS) {
      throw new InvalidArgumentException("a rate limit's burst must be 1 to " + MAX_REQUESTS + " (was " + burst + ")");
    }
  }

  /** {@code requests} per {@code per}, with a burst of as many. */
  public static RateLimit of(long requests, Duration per) {
    return new RateLimit(requests, per, requests);
  }

  public RateLimit withBurst(long burst) {
    return new RateLimit(requests, per, burst);
  }

  /**
   * Reads the text form, {@code <requests>/<n><unit>[,burst=<n>]} with unit {@code s}, {@code m},
   * {@code h} or {@code d}; for example {@code 100/1m}, {@code 10/1s,burst=20}. Throws {@link
   * InvalidArgumentException} saying what is wrong.
   */
  public static RateLimit parse(@Nullable String text) {
    if (text == null || text.isBlank() || text.length() > 64) {
      throw new InvalidArgumentException("a rate limit looks like 100/1m or 100/1m,burst=150");
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    Long burst = null;
    int comma = s.indexOf(',');
    if (comma >= 0) {
      String option = s.substring(comma + 1).strip();
      if (!option.startsWith("burst=")) {
        throw new InvalidArgumentException("a rate limit's only option is burst=N (was '" + option + "')");
      }
      burst = number(option.substring("burst=".length()), "burst");
      s = s.substring(0, comma).strip();
    }
    int slash = s.indexOf('/');
    if (slash < 1 || slash == s.length() - 1) {
      throw new InvalidArgumentException("a rate limit looks like 100/1m or 100/1m,burst=150 (was '" + text + "')");
    }
    long requests = number(s.substring(0, slash), "requests");
    String period = s.substring(slash + 1);
    char unit = period.charAt(period.length() - 1);
    long seconds = switch (unit) {
      case 's' -> 1;
      case 'm' -> 60;
      case 'h' -> 3600;
      case 'd' -> 86_400;
      default -> throw new InvalidArgumentException("a rate limit's period ends in s, m, h or d (was '" + period + "')");
    };
    String count = period.substring(0, period.length() - 1);
    long n = count.isEmpty() ? 1 : number(count, "period");
    if (n > MAX_PERIOD.getSeconds()) {
      throw new InvalidArgumentException("a rate limit's period must be 1 second to 1 day");
    }
    Duration per = Duration.ofSeconds(n * seconds);
    return new RateLimit(requests, per, burst == null ? requests : burst);
  }

  private static long number(String s, String what) {
    if (s.isEmpty() || s.length() > 10) {
      throw new InvalidArgumentException("a rate limit's " + what + " must be a number from 1 to " + MAX_REQUESTS);
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new InvalidArgumentException("a rate limit's " + what + " must be a number from 1 to " + MAX_REQUESTS);
      }
    }
    return Long.parseLong(s);
  }

  /** The text form, which {@link #parse} reads back: the period in the largest whole unit. */
  @Override
  public String toString() {
    long s = per.getSeconds();
    String period = s % 86_400 == 0 ? s / 86_400 + "d"
        : s % 3600 == 0 ? s / 3600 + "h"
        : s % 60 == 0 ? s / 60 + "m"
        : s + "s";
    return requests + "/" + period + (burst == requests ? "" : ",burst=" + burst);
  }
}
