package dev.latchkey.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One kind of WARN line, logged at most once per interval (by the injected clock's millis that the
 * caller passes in); the next line logged says how many were suppressed in between. For warnings an
 * attacker can trigger at will, which must not flood the log.
 */
final class RateLimitedWarning {
  private final Logger log;
  private final long intervalMillis;
  private final AtomicLong nextMillis = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  RateLimitedWarning(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalMillis = intervalMillis;
  }

  /** Logs {@code format} with {@code args} at WARN unless one was logged less than an interval ago. */
  void warn(long nowMillis, String format, Object... args) {
    long next = nextMillis.get();
    boolean recent = nowMillis < next && nowMillis >= next - intervalMillis; // a clock gone back does not count
    if (recent || !nextMillis.compareAndSet(next, nowMillis + intervalMillis)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    if (!log.isWarnEnabled()) {
      return;
    }
    String message = skipped == 0 ? format
        : format + " (" + skipped + " more like this since the last such warning, not logged)";
    log.warn(message, args);
  }
}
