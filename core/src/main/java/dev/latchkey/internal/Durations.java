package dev.latchkey.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Durations in messages people read: "365 days", "1 day 12 hours", "90 minutes" rather than
 * ISO-8601 ({@code PT8760H}), which {@link Duration#toString()} gives and few people parse at a glance.
 */
public final class Durations {
  private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
  private static final String[] UNIT_NAMES = {"day", "hour", "minute", "second"};

  private Durations() {}

  /**
   * Days, hours, minutes, seconds and milliseconds, largest first, zero parts left out (nanoseconds
   * are dropped). For example {@code PT8760H} is "365 days", {@code PT36H} "1 day 12 hours".
   */
  public static String human(@Nullable Duration d) {
    if (d == null) {
      return "none";
    }
    if (d.isNegative()) {
      return "minus " + human(d.negated());
    }
    if (d.isZero()) {
      return "0 seconds";
    }
    long seconds = d.getSeconds();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < UNIT_SECONDS.length; i++) {
      long n = seconds / UNIT_SECONDS[i];
      seconds %= UNIT_SECONDS[i];
      append(sb, n, UNIT_NAMES[i]);
    }
    // a duration under a millisecond reads as "1 millisecond", never as nothing
    append(sb, sb.length() == 0 ? Math.max(1, d.toMillisPart()) : d.toMillisPart(), "millisecond");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long n, String unit) {
    if (n > 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(plural(n, unit));
    }
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
